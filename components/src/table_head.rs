//! The header row of the data tables.

use leptos::prelude::*;

/// `<thead>` with one column header per label; labels listed in `numeric` are right-aligned.
///
/// Props:
/// - `columns`: the column labels, in order.
/// - `numeric`: the labels of numeric columns.
#[component]
pub fn TableHead(
    columns: &'static [&'static str],
    #[prop(optional)] numeric: &'static [&'static str],
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
