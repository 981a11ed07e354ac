//! Exponential back-off with jitter, as client-go and kube-runtime do it (800 ms, ×2, capped at 30 s,
//! each delay drawn from ±25 % around that).

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
            rng: mix(seed) | 1,
        }
    }

    /// The delay before the next retry. `retry_after` (seconds, from the server) is a lower bound.
    pub fn next_delay(&mut self, retry_after: Option<u64>) -> Duration {
        // xorshift64: cheap, good enough for jitter, identical on wasm and native.
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        let unit = (self.rng >> 11) as f64 / (1u64 << 53) as f64;
        // Jitter after the cap too: clients that have all reached it must not retry together.
        let jittered = self.current.min(self.max).mul_f64(0.75 + unit * 0.5);
        self.current = (self.current * 2).min(self.max);
        jittered.max(Duration::from_secs(retry_after.unwrap_or(0)))
    }

    /// Back to the initial delay, after a success.
    pub fn reset(&mut self) {
        self.current = self.initial;
    }
}

/// SplitMix64's finalizer: seeds that differ in a few low bits (clocks read a millisecond apart,
/// consecutive counters) give unrelated jitter, which xorshift alone does not.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_with_jitter_caps_and_honours_retry_after() {
        let mut b = Backoff::new(Duration::from_millis(800), Duration::from_secs(30), 42);
        let delays: Vec<Duration> = (0..10).map(|_| b.next_delay(None)).collect();
        let ms = |d: Duration| d.as_millis();
        assert!((600..=1000).contains(&ms(delays[0])), "{delays:?}");
        assert!((1200..=2000).contains(&ms(delays[1])), "{delays:?}");
        assert!(delays.iter().all(|d| ms(*d) <= 37_500), "{delays:?}");
        assert!((22_500..=37_500).contains(&ms(delays[9])), "{delays:?}");
        assert_eq!(b.next_delay(Some(45)), Duration::from_secs(45));
        b.reset();
        assert!(ms(b.next_delay(None)) <= 1000);
    }

    /// Regression: watches started in the same millisecond were seeded alike and retried in
    /// lock-step (xorshift keeps close seeds close), and every client at the cap waited exactly
    /// 30 s.
    #[test]
    fn watches_started_together_do_not_retry_in_lock_step() {
        let delays = |n: usize| -> Vec<u128> {
            (0..200u64)
                .map(|seed| {
                    let mut b =
                        Backoff::new(Duration::from_millis(800), Duration::from_secs(30), seed);
                    (0..n)
                        .map(|_| b.next_delay(None))
                        .last()
                        .unwrap()
                        .as_millis()
                })
                .collect()
        };
        for (n, low, high) in [(1, 600, 1000), (12, 22_500, 37_500)] {
            let d = delays(n);
            let spread = d.iter().max().unwrap() - d.iter().min().unwrap();
            // Uniform over the window: 200 draws cover most of it, in both halves.
            assert!(
                spread * 10 >= (high - low) * 8,
                "retry {n}: spread {spread} ms"
            );
            let mid = (low + high) / 2;
            let below = d.iter().filter(|&&x| x < mid).count();
            assert!(
                (60..=140).contains(&below),
                "retry {n}: {below} of 200 below the middle"
            );
        }
    }
}
