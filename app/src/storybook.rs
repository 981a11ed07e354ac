//! The storybook at `/stories`: an index of every component × state, and each story at
//! `/stories/<component>/<state>`, rendered from fixtures; `/stories/<component>/live` feeds the
//! component from the devserver's living demo instead.

use leptos::prelude::*;
use lookout_components::story;

/// The storybook for `path` (the part after `/stories`).
#[component]
pub fn Storybook(path: String) -> impl IntoView {
    let mut stories = story::all();
    stories.extend(crate::live_stories::all());
    let wanted: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    if let [component, state] = wanted[..] {
        if let Some(s) = stories
            .iter()
            .find(|s| s.component == component && s.state == state)
        {
            let id = format!("{}/{}", s.component, s.state);
            return view! {
                <nav class="lo-crumbs"><a href="/stories">"Stories"</a>" / "{id.clone()}</nav>
                <div class="lo-story" data-story=id.clone() role="region" aria-label=id tabindex="0">{(s.render)()}</div>
            }
            .into_any();
        }
    }
    let links = stories
        .iter()
        .map(|s| {
            let href = format!("/stories/{}/{}", s.component, s.state);
            view! { <li><a class="lo-story-link" href=href>{s.component}" — "{s.state}</a></li> }
        })
        .collect_view();
    view! {
        <section class="lo-page" aria-labelledby="stories-heading">
            <h2 id="stories-heading">"Stories"</h2>
            <ul class="lo-story-index">{links}</ul>
        </section>
    }
    .into_any()
}
