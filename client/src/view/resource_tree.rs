//! The resource tree of a Kustomization or HelmRelease: what it applied (the inventory, or the
//! objects labelled as a release's) → the objects they own (ReplicaSets, Jobs) → pods, joined by
//! owner references (uid), each node with its live status. Problems come first and their
//! branches start expanded; healthy branches start collapsed.

use crate::api::resource::ApiResource;
use crate::model::flux::InventoryEntry;
use crate::model::kinds;
use crate::model::Object;
use crate::status::Tone;
use crate::view::route::ObjectRoute;
use crate::view::table::{Cell, Tabular};
use std::collections::{HashMap, HashSet};

/// The kinds owned by workloads that the tree follows below its roots: ReplicaSets (of
/// Deployments), Jobs (of CronJobs) and pods.
pub const OWNED_KINDS: [ApiResource; 3] = [kinds::REPLICA_SET, kinds::JOB, kinds::POD];

/// The kinds a HelmRelease's objects are looked for in (Helm keeps no inventory in the cluster's
/// API; helm-controller labels what it applies).
pub const HELM_ROOT_KINDS: [ApiResource; 6] = [
    kinds::DEPLOYMENT,
    kinds::STATEFUL_SET,
    kinds::DAEMON_SET,
    kinds::CRON_JOB,
    kinds::JOB,
    kinds::SERVICE,
];

/// A top-level object of the tree, named by the inventory or found by its labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    /// API group (empty for core).
    pub group: String,
    /// API version (`v1`).
    pub version: String,
    /// Kind.
    pub kind: String,
    /// Namespace (empty for cluster-scoped objects).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Whether the cluster serves its kind (discovery says so, or cannot tell): a missing object
    /// of a kind it does not serve is "not served" (a CRD not installed), not "not found".
    pub served: bool,
}

impl From<&InventoryEntry> for Root {
    fn from(e: &InventoryEntry) -> Self {
        Root {
            group: e.group.clone(),
            version: e.version.clone(),
            kind: e.kind.clone(),
            namespace: e.namespace.clone(),
            name: e.name.clone(),
            served: true,
        }
    }
}

/// What a tree watches, as (kind, namespace) pairs (`None`: every namespace): each root kind in
/// the namespaces its roots name (cluster-scoped kinds cluster-wide), and the `owned` kinds
/// (ReplicaSets, Jobs, pods) in those namespaces only: a tree in one namespace does not watch
/// every pod of the cluster. Sorted, each pair once.
pub fn watch_scopes(
    roots: &[(ApiResource, String)],
    owned: &[ApiResource],
) -> Vec<(ApiResource, Option<String>)> {
    let mut scopes: Vec<(ApiResource, Option<String>)> = Vec::new();
    let mut namespaces: Vec<&str> = Vec::new();
    for (api, namespace) in roots {
        let scope = (api.namespaced && !namespace.is_empty()).then(|| namespace.clone());
        if scope.is_some() {
            namespaces.push(namespace);
        }
        scopes.push((api.clone(), scope));
    }
    for api in owned {
        scopes.extend(
            namespaces
                .iter()
                .map(|ns| (api.clone(), Some((*ns).to_owned()))),
        );
    }
    let order = |(api, ns): &(ApiResource, Option<String>)| {
        (api.group.clone(), api.kind.clone(), ns.clone())
    };
    scopes.sort_by_key(order);
    scopes.dedup_by(|a, b| order(a) == order(b));
    // A kind watched everywhere serves its namespaces too: drop the narrower watches.
    let everywhere: Vec<(String, String)> = scopes
        .iter()
        .filter(|(_, ns)| ns.is_none())
        .map(|(api, _)| (api.group.to_string(), api.kind.to_string()))
        .collect();
    scopes.retain(|(api, ns)| {
        ns.is_none() || !everywhere.contains(&(api.group.to_string(), api.kind.to_string()))
    });
    scopes
}

/// One object the page watches: the API it was watched through (which names its kind: a Secret
/// comes as `PartialObjectMetadata`) and the live object.
pub type Known<'a> = (&'a ApiResource, &'a Object);

/// One node: an object with its status and the objects it owns.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeNode {
    /// API group (empty for core).
    pub group: String,
    /// API version (`v1`).
    pub version: String,
    /// Kind.
    pub kind: String,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// The status word (`Current`, `CrashLoopBackOff`, `NotFound`, …).
    pub word: String,
    /// The status tone.
    pub tone: Tone,
    /// Why (the status rule's message).
    pub message: String,
    /// Whether the object exists in the cluster (an inventory can name a deleted object).
    pub found: bool,
    /// The objects it owns, problems first.
    pub children: Vec<TreeNode>,
}

impl TreeNode {
    /// Whether this object itself needs attention: failing, in progress, unknown or missing.
    pub fn unhealthy(&self) -> bool {
        !self.found || !matches!(self.tone, Tone::Ok | Tone::Paused)
    }

    /// Whether this node or anything below it needs attention.
    pub fn has_problem(&self) -> bool {
        self.unhealthy() || self.children.iter().any(TreeNode::has_problem)
    }

    /// The most urgent tone of this node and everything below it.
    pub fn worst(&self) -> Tone {
        self.children
            .iter()
            .map(TreeNode::worst)
            .fold(self.tone, Tone::min)
    }

    /// Whether the node starts expanded: something below it needs attention.
    pub fn expanded_by_default(&self) -> bool {
        self.children.iter().any(TreeNode::has_problem)
    }

    /// How many objects are below this node (what a collapsed node shows).
    pub fn descendants(&self) -> usize {
        self.children.iter().map(|c| 1 + c.descendants()).sum()
    }

    /// The node's detail page.
    pub fn route(&self) -> ObjectRoute {
        ObjectRoute {
            group: self.group.clone(),
            version: self.version.clone(),
            kind: self.kind.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }

    /// A stable key for the node: `group/kind/namespace/name`.
    pub fn key(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            self.group, self.kind, self.namespace, self.name
        )
    }
}

/// The roots of a HelmRelease's tree: the objects labelled with its name and namespace that no
/// controller owns (a Deployment, not the ReplicaSet a chart's labels may also reach).
pub fn helm_roots(objects: &[Known], release_namespace: &str, release_name: &str) -> Vec<Root> {
    objects
        .iter()
        .filter(|(_, o)| {
            o.label("helm.toolkit.fluxcd.io/name") == Some(release_name)
                && o.label("helm.toolkit.fluxcd.io/namespace") == Some(release_namespace)
                && controller_uid(o).is_none()
        })
        .map(|(api, o)| Root {
            group: api.group.to_string(),
            version: api.version.to_string(),
            kind: api.kind.to_string(),
            namespace: o.metadata.namespace.to_string(),
            name: o.metadata.name.to_string(),
            served: true,
        })
        .collect()
}

/// The uid of an object's managing controller (`ownerReferences[controller=true]`).
fn controller_uid(o: &Object) -> Option<&str> {
    o.value
        .pointer("/metadata/ownerReferences")?
        .as_array()?
        .iter()
        .find(|r| r.get("controller").and_then(|c| c.as_bool()) == Some(true))?
        .get("uid")?
        .as_str()
}

/// Every owner uid of an object (any owner reference, as the garbage collector reads them).
fn owner_uids(o: &Object) -> impl Iterator<Item = &str> {
    o.value
        .pointer("/metadata/ownerReferences")
        .and_then(|r| r.as_array())
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("uid")?.as_str())
}

/// Builds the tree of `roots` over the watched `objects` at `now` (epoch seconds): problems
/// first, then by kind and name. Each object appears once: an inventory that lists a Deployment
/// and its ReplicaSet shows the ReplicaSet beneath the Deployment only.
pub fn build(roots: &[Root], objects: &[Known], now: i64) -> Vec<TreeNode> {
    let mut owned: HashMap<&str, Vec<Known>> = HashMap::new();
    let mut by_name = HashMap::new();
    for known in objects {
        for uid in owner_uids(known.1) {
            owned.entry(uid).or_default().push(*known);
        }
        let meta = &known.1.metadata;
        let name = (
            &*known.0.group,
            &*known.0.kind,
            &*meta.namespace,
            &*meta.name,
        );
        by_name.insert(name, *known);
    }
    let mut listed = HashSet::new();
    let found: Vec<(&Root, Option<Known>)> = roots
        .iter()
        // An object listed twice is shown once.
        .filter(|r| listed.insert((&r.group, &r.kind, &r.namespace, &r.name)))
        .map(|r| {
            let name = (&*r.group, &*r.kind, &*r.namespace, &*r.name);
            (r, by_name.get(&name).copied())
        })
        .collect();
    // Roots owned by another root come last, and only if not already shown beneath it.
    let root_uids: HashSet<&str> = found
        .iter()
        .filter_map(|(_, k)| k.map(|k| k.1.metadata.uid.as_str()))
        .filter(|uid| !uid.is_empty())
        .collect();
    let (first, later): (Vec<_>, Vec<_>) = found.into_iter().partition(|(_, k)| {
        !k.is_some_and(|k| {
            owner_uids(k.1).any(|uid| uid != k.1.metadata.uid && root_uids.contains(uid))
        })
    });
    let mut seen = HashSet::new();
    let mut nodes = Vec::new();
    for (root, known) in first.into_iter().chain(later) {
        match known {
            Some(k) if seen.contains(k.1.metadata.uid.as_str()) => {}
            Some(k) => nodes.push(node(k, &owned, &mut seen, now)),
            None => {
                let (word, message) = if root.served {
                    (
                        "NotFound",
                        "not in the cluster (deleted, or not readable)".to_owned(),
                    )
                } else {
                    let kind = if root.group.is_empty() {
                        root.kind.clone()
                    } else {
                        format!("{}.{}", root.kind, root.group)
                    };
                    (
                        "NotServed",
                        format!("the cluster does not serve {kind} (is its CRD installed?)"),
                    )
                };
                nodes.push(TreeNode {
                    group: root.group.clone(),
                    version: root.version.clone(),
                    kind: root.kind.clone(),
                    namespace: root.namespace.clone(),
                    name: root.name.clone(),
                    word: word.into(),
                    tone: Tone::Unknown,
                    message,
                    found: false,
                    children: Vec::new(),
                })
            }
        }
    }
    sort(&mut nodes);
    nodes
}

/// An object and, beneath it, what it owns that is not in the tree yet (owner references can
/// form a cycle). Objects without a uid own nothing and are never taken for one another.
fn node<'a>(
    (api, object): Known<'a>,
    owned: &HashMap<&str, Vec<Known<'a>>>,
    seen: &mut HashSet<&'a str>,
    now: i64,
) -> TreeNode {
    let uid = object.metadata.uid.as_str();
    let mut children = Vec::new();
    if !uid.is_empty() {
        seen.insert(uid);
        for known in owned.get(uid).into_iter().flatten() {
            if !seen.contains(known.1.metadata.uid.as_str()) {
                children.push(node(*known, owned, seen, now));
            }
        }
    }
    sort(&mut children);
    let (word, tone, message) = status_of(object, &api.group, &api.kind, now)
        .unwrap_or_else(|| ("Current".into(), Tone::Ok, String::new()));
    TreeNode {
        group: api.group.to_string(),
        version: api.version.to_string(),
        kind: api.kind.to_string(),
        namespace: object.metadata.namespace.to_string(),
        name: object.metadata.name.to_string(),
        word,
        tone,
        message,
        found: true,
        children,
    }
}

/// An object's status word, tone and message: its table row's Status cell (the one status word
/// a kind has everywhere), if the kind has one.
pub fn status_of(
    object: &impl Tabular,
    group: &str,
    kind: &str,
    now: i64,
) -> Option<(String, Tone, String)> {
    object
        .cells(group, kind, now)
        .into_iter()
        .find_map(|cell| match cell {
            Cell::Status {
                word,
                tone,
                message,
            } => Some((word, tone, message)),
            _ => None,
        })
}

/// Problems first, the most urgent (a failure anywhere below) first among them; then by kind,
/// namespace and name.
fn sort(nodes: &mut [TreeNode]) {
    nodes.sort_by_cached_key(|n| {
        (
            !n.has_problem(),
            n.worst(),
            n.kind.clone(),
            n.namespace.clone(),
            n.name.clone(),
        )
    });
}

#[cfg(test)]
mod tests;
