//! The header row of the data tables.

use leptos::prelude::*;

/// `<thead>` with one column header per label; labels listed in `numeric` are right-aligned.
#[component]
pub fn TableHead(
    /// The column labels, in order.
    columns: &'static [&'static str],
    /// The labels of numeric columns.
    #[prop(optional)]
    numeric: &'static [&'static str],
) -> impl IntoView {
    view! {
        <thead>
            <tr>
                {columns
                    .iter()
                    .map(|c| view! { <th scope="col" class=numeric.contains(c).then_some("lo-num")>{*c}</th> })
                    .collect_view()}
            </tr>
        </thead>
    }
}
