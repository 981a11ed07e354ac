//! The status vocabulary every view shares: a [`Tone`] per status, and the one mapping of each
//! kind of status (kstatus, Flux, GitLab's sync badge, conditions, pod words, Helm releases,
//! events) to it. Views colour and filter by tone; none maps a status itself.

use super::flux::{FluxState, SyncStatus};
use super::kstatus::Status;
use super::ConditionHealth;

/// How a status should be coloured; also what the status filter selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tone {
    /// Needs attention.
    Error,
    /// Converging.
    Progress,
    /// Deliberately stopped (suspended Flux objects, suspended CronJobs).
    Paused,
    /// Not known.
    Unknown,
    /// As it should be.
    Ok,
}

impl Tone {
    /// Every tone, most urgent first.
    pub const ALL: [Tone; 5] = [
        Tone::Error,
        Tone::Progress,
        Tone::Paused,
        Tone::Unknown,
        Tone::Ok,
    ];

    /// The word used in CSS (`data-tone`) and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Ok => "ok",
            Tone::Progress => "progress",
            Tone::Error => "error",
            Tone::Paused => "paused",
            Tone::Unknown => "unknown",
        }
    }

    /// The tone named by [`Tone::as_str`].
    pub fn parse(word: &str) -> Option<Tone> {
        Tone::ALL.into_iter().find(|t| t.as_str() == word)
    }

    /// What a user calls objects of this tone, for filter buttons.
    pub fn label(self) -> &'static str {
        match self {
            Tone::Ok => "Healthy",
            Tone::Progress => "In progress",
            Tone::Error => "Failing",
            Tone::Paused => "Suspended",
            Tone::Unknown => "Unknown",
        }
    }

    /// The tone of a `kubectl get pods` status word (also a container state's reason).
    pub fn of_pod_word(word: &str) -> Tone {
        match word {
            "Running" | "Succeeded" | "Completed" => Tone::Ok,
            "Pending" | "ContainerCreating" | "PodInitializing" | "Terminating" => Tone::Progress,
            "Unknown" => Tone::Unknown,
            _ => Tone::Error,
        }
    }

    /// The tone of a Helm release's status (`status.history[].status` of a HelmRelease):
    /// `deployed` is ok, `superseded` history, `failed` an error, anything else (`pending-*`,
    /// `uninstalling`) in progress.
    pub fn of_helm_release(status: &str) -> Tone {
        match status {
            "deployed" => Tone::Ok,
            "superseded" => Tone::Unknown,
            "failed" => Tone::Error,
            _ => Tone::Progress,
        }
    }

    /// The tone of an Event's `type`: `Warning` needs attention, `Normal` (or anything else) not.
    pub fn of_event(warning: bool) -> Tone {
        if warning {
            Tone::Error
        } else {
            Tone::Ok
        }
    }

    /// The tone of a container that terminated with `exit_code`.
    pub fn of_exit_code(exit_code: i64) -> Tone {
        if exit_code == 0 {
            Tone::Ok
        } else {
            Tone::Error
        }
    }
}

impl FluxState {
    /// The tone of Lookout's Flux state.
    pub fn tone(self) -> Tone {
        match self {
            FluxState::Ready => Tone::Ok,
            FluxState::Waiting
            | FluxState::Stale
            | FluxState::Progressing
            | FluxState::Deleting => Tone::Progress,
            FluxState::Failed | FluxState::Failing => Tone::Error,
            FluxState::Suspended => Tone::Paused,
            FluxState::Unknown => Tone::Unknown,
        }
    }
}

impl Status {
    /// The tone of a kstatus word.
    pub fn tone(self) -> Tone {
        match self {
            Status::Current => Tone::Ok,
            Status::InProgress | Status::Terminating => Tone::Progress,
            Status::Failed => Tone::Error,
            Status::NotFound | Status::Unknown => Tone::Unknown,
        }
    }
}

impl SyncStatus {
    /// The tone of GitLab's sync badge.
    pub fn tone(self) -> Tone {
        match self {
            SyncStatus::Reconciled => Tone::Ok,
            SyncStatus::Reconciling | SyncStatus::ReconcilingWithBadConfig => Tone::Progress,
            SyncStatus::Failed | SyncStatus::Stalled => Tone::Error,
            SyncStatus::Suspended => Tone::Paused,
            SyncStatus::Unavailable | SyncStatus::Unknown => Tone::Unknown,
        }
    }
}

impl ConditionHealth {
    /// The tone of one condition read with its polarity.
    pub fn tone(self) -> Tone {
        match self {
            ConditionHealth::Good => Tone::Ok,
            ConditionHealth::Bad => Tone::Error,
            ConditionHealth::Progressing => Tone::Progress,
            ConditionHealth::Unknown => Tone::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::condition_health;

    #[test]
    fn tone_words_round_trip_and_unknown_words_are_refused() {
        for t in Tone::ALL {
            assert_eq!(Tone::parse(t.as_str()), Some(t));
        }
        assert_eq!(Tone::parse("Ok"), None);
        assert_eq!(Tone::parse(""), None);
    }

    #[test]
    fn pod_words() {
        assert_eq!(Tone::of_pod_word("Running"), Tone::Ok);
        assert_eq!(Tone::of_pod_word("Completed"), Tone::Ok);
        assert_eq!(Tone::of_pod_word("ContainerCreating"), Tone::Progress);
        assert_eq!(Tone::of_pod_word("CrashLoopBackOff"), Tone::Error);
        assert_eq!(Tone::of_pod_word("Init:ImagePullBackOff"), Tone::Error);
        assert_eq!(Tone::of_pod_word("Unknown"), Tone::Unknown);
    }

    #[test]
    fn helm_release_event_and_exit_code_tones() {
        assert_eq!(Tone::of_helm_release("deployed"), Tone::Ok);
        assert_eq!(Tone::of_helm_release("superseded"), Tone::Unknown);
        assert_eq!(Tone::of_helm_release("failed"), Tone::Error);
        assert_eq!(Tone::of_helm_release("pending-upgrade"), Tone::Progress);
        assert_eq!(Tone::of_event(true), Tone::Error);
        assert_eq!(Tone::of_event(false), Tone::Ok);
        assert_eq!(Tone::of_exit_code(0), Tone::Ok);
        assert_eq!(Tone::of_exit_code(137), Tone::Error);
    }

    #[test]
    fn flux_kstatus_sync_and_condition_tones() {
        assert_eq!(FluxState::Suspended.tone(), Tone::Paused);
        assert_eq!(FluxState::Waiting.tone(), Tone::Progress);
        assert_eq!(FluxState::Failing.tone(), Tone::Error);
        assert_eq!(Status::Terminating.tone(), Tone::Progress);
        assert_eq!(Status::NotFound.tone(), Tone::Unknown);
        // GitLab's badge and Lookout's state agree on the tone of a suspended object.
        assert_eq!(SyncStatus::Suspended.tone(), FluxState::Suspended.tone());
        assert_eq!(SyncStatus::Stalled.tone(), Tone::Error);
        assert_eq!(condition_health("Stalled", "True").tone(), Tone::Error);
        assert_eq!(
            condition_health("Reconciling", "True").tone(),
            Tone::Progress
        );
        assert_eq!(condition_health("Ready", "True").tone(), Tone::Ok);
    }
}
