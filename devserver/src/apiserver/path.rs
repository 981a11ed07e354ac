//! API paths: `/api/v1/…` and `/apis/{group}/{version}/…` parsed into the resource, namespace,
//! name and subresource they address.

use crate::resources::{self, ResourceDef};

/// A parsed API path: the resource, the namespace and the object name, if any.
#[derive(Debug, PartialEq)]
pub struct Target<'a> {
    /// The resource.
    pub def: &'static ResourceDef,
    /// The namespace of a namespaced path; `None` for cluster-scoped or all-namespaces paths.
    pub namespace: Option<&'a str>,
    /// The object's name; `None` for a collection.
    pub name: Option<&'a str>,
    /// `log` of `pods/{name}/log`.
    pub subresource: Option<&'a str>,
}

/// Parses `/api/v1/…` or `/apis/{group}/{version}/…` (without the proxy prefix).
pub fn parse_path(path: &str) -> Option<Target<'_>> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group, version, rest) = match segs.as_slice() {
        ["api", version, rest @ ..] => ("", *version, rest),
        ["apis", group, version, rest @ ..] => (*group, *version, rest),
        _ => return None,
    };
    // `namespaces/{ns}/{plural}/…` names a namespaced kind; anything else (including
    // `namespaces/{name}/status`) a cluster-scoped one or a collection across namespaces.
    let namespaced = match rest {
        ["namespaces", ns, plural, more @ ..] => resources::by_path(group, version, plural)
            .filter(|d| d.namespaced)
            .map(|d| (d, Some(*ns), more)),
        _ => None,
    };
    let (def, namespace, rest) = match namespaced {
        Some(found) => found,
        None => {
            let (plural, more) = rest.split_first()?;
            (resources::by_path(group, version, plural)?, None, more)
        }
    };
    let (name, subresource) = match rest {
        [] => (None, None),
        [name] => (Some(*name), None),
        [name, sub] => (Some(*name), Some(*sub)),
        _ => return None,
    };
    if def.namespaced && namespace.is_none() && name.is_some() {
        return None;
    }
    if subresource.is_some_and(|sub| !def.subresources.contains(&sub)) {
        return None;
    }
    Some(Target {
        def,
        namespace,
        name,
        subresource,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_resources() {
        let t = parse_path("/api/v1/namespaces/app/pods/web").unwrap();
        assert_eq!(
            (t.def.plural, t.namespace, t.name),
            ("pods", Some("app"), Some("web"))
        );
        let t = parse_path("/api/v1/pods").unwrap();
        assert_eq!((t.def.plural, t.namespace, t.name), ("pods", None, None));
        let t = parse_path("/api/v1/namespaces/app").unwrap();
        assert_eq!(
            (t.def.plural, t.namespace, t.name),
            ("namespaces", None, Some("app"))
        );
        assert_eq!(parse_path("/api/v1/namespaces/app/widgets"), None);
        assert_eq!(parse_path("/apis/nope/v1/things"), None);
    }
}
