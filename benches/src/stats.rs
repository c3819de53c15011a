//! Paired measurements: two implementations of the same thing timed in alternating blocks in
//! one run, so load from other processes falls on both alike, and reported as ratios.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::alloc::Counts;

/// Per-call samples of one implementation.
#[derive(Debug, Default)]
pub struct Samples {
    times: Vec<Duration>,
    allocations: u64,
    bytes: u64,
    calls: u64,
}

impl Samples {
    /// Times one call, and counts what it allocated on this thread.
    pub fn record(&mut self, elapsed: Duration, counts: Counts) {
        self.times.push(elapsed);
        self.allocations += counts.allocations;
        self.bytes += counts.bytes;
        self.calls += 1;
    }

    fn quantile(&mut self, q: f64) -> Duration {
        self.times.sort_unstable();
        let last = self.times.len().saturating_sub(1);
        self.times
            .get((last as f64 * q).round() as usize)
            .copied()
            .unwrap_or_default()
    }

    pub fn median(&mut self) -> Duration {
        self.quantile(0.5)
    }

    pub fn p99(&mut self) -> Duration {
        self.quantile(0.99)
    }

    /// Allocations per call.
    pub fn allocations(&self) -> f64 {
        self.allocations as f64 / self.calls.max(1) as f64
    }

    /// Bytes allocated per call.
    pub fn bytes(&self) -> f64 {
        self.bytes as f64 / self.calls.max(1) as f64
    }
}

/// Runs `candidate` and `baseline` `rounds` times each in blocks of `block` calls, alternating
/// which goes first, and returns their samples.
///
/// What a call returns is kept until its block ends and dropped after the clock stopped, so a
/// call that builds a large value (a deserialized payload) is timed without freeing it.
pub fn paired<C, B, T, U>(
    rounds: usize,
    block: usize,
    mut candidate: C,
    mut baseline: B,
) -> (Samples, Samples)
where
    C: FnMut() -> T,
    B: FnMut() -> U,
{
    fn time<R>(block: usize, f: &mut dyn FnMut() -> R, s: &mut Samples) {
        let mut kept = Vec::with_capacity(block);
        for _ in 0..block {
            let counts = Counts::now();
            let started = Instant::now();
            let output = f();
            let elapsed = started.elapsed();
            s.record(elapsed, Counts::since(counts));
            kept.push(output);
        }
    }
    let (mut c, mut b) = (Samples::default(), Samples::default());
    for round in 0..rounds {
        if round % 2 == 0 {
            time(block, &mut candidate, &mut c);
            time(block, &mut baseline, &mut b);
        } else {
            time(block, &mut baseline, &mut b);
            time(block, &mut candidate, &mut c);
        }
    }
    (c, b)
}

/// One table row: `name | median | p99 | allocations | bytes`, each as candidate / baseline
/// = ratio.
pub fn row(name: &str, candidate: &mut Samples, baseline: &mut Samples) -> String {
    let ratio = |c: f64, b: f64| if b == 0.0 { f64::NAN } else { c / b };
    let (cm, bm) = (candidate.median(), baseline.median());
    let (cp, bp) = (candidate.p99(), baseline.p99());
    let mut out = String::new();
    let _ = write!(
        out,
        "| {name} | {:.2}x ({:.1} / {:.1} µs) | {:.2}x ({:.1} / {:.1} µs) | {:.2}x ({:.1} / {:.1}) | {:.2}x ({:.0} / {:.0} B) |",
        ratio(cm.as_secs_f64(), bm.as_secs_f64()),
        micros(cm),
        micros(bm),
        ratio(cp.as_secs_f64(), bp.as_secs_f64()),
        micros(cp),
        micros(bp),
        ratio(candidate.allocations(), baseline.allocations()),
        candidate.allocations(),
        baseline.allocations(),
        ratio(candidate.bytes(), baseline.bytes()),
        candidate.bytes(),
        baseline.bytes(),
    );
    out
}

/// The table header that goes with [`row`].
pub const HEADER: &str = "| | median (ours / baseline) | p99 | allocations per call | bytes allocated per call |\n| --- | ---: | ---: | ---: | ---: |";

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// `uptime`'s load averages, to print beside every result (the machine is shared).
pub fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}
