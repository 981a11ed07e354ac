//! Exponential back-off with jitter, as client-go and kube-runtime do it (800 ms, ×2, capped at 30 s).

use std::time::Duration;

/// Delay generator for retries: grows ×2 per failure up to a cap, with random jitter so that many
/// clients do not retry in lock-step, and never shorter than a server's `Retry-After`.
#[derive(Debug, Clone)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
    current: Duration,
    rng: u64,
}

impl Backoff {
    /// A back-off starting at `initial`, capped at `max`; `seed` drives the jitter.
    pub fn new(initial: Duration, max: Duration, seed: u64) -> Self {
        Backoff {
            initial,
            max,
            current: initial,
            rng: seed | 1,
        }
    }

    /// The delay before the next retry. `retry_after` (seconds, from the server) is a lower bound.
    pub fn next_delay(&mut self, retry_after: Option<u64>) -> Duration {
        // xorshift64: cheap, good enough for jitter, identical on wasm and native.
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        let unit = (self.rng >> 11) as f64 / (1u64 << 53) as f64;
        let jittered = self.current.mul_f64(1.0 + unit * 0.5).min(self.max);
        self.current = (self.current * 2).min(self.max);
        jittered.max(Duration::from_secs(retry_after.unwrap_or(0)))
    }

    /// Back to the initial delay, after a success.
    pub fn reset(&mut self) {
        self.current = self.initial;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_with_jitter_caps_and_honours_retry_after() {
        let mut b = Backoff::new(Duration::from_millis(800), Duration::from_secs(30), 42);
        let delays: Vec<Duration> = (0..10).map(|_| b.next_delay(None)).collect();
        assert!(
            delays[0] >= Duration::from_millis(800) && delays[0] <= Duration::from_millis(1200)
        );
        assert!(
            delays[1] >= Duration::from_millis(1600) && delays[1] <= Duration::from_millis(2400)
        );
        assert!(delays.iter().all(|d| *d <= Duration::from_secs(30)));
        assert_eq!(delays[9], Duration::from_secs(30));
        assert_eq!(b.next_delay(Some(45)), Duration::from_secs(45));
        b.reset();
        assert!(b.next_delay(None) <= Duration::from_millis(1200));
    }
}
