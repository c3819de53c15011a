//! A global allocator that counts: allocations and bytes per thread (what one request costs
//! on the thread that makes it), and the bytes alive in the whole process (whether memory
//! stays flat over many requests).
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, Ordering};

/// The system allocator, counting. Install it with
/// `#[global_allocator] static ALLOC: Counting = Counting;`.
#[derive(Debug)]
pub struct Counting;

thread_local! {
    /// (allocations, bytes) made by this thread; `const` so reading it never allocates.
    static THREAD: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

/// Bytes allocated and not yet freed, by every thread.
static LIVE: AtomicIsize = AtomicIsize::new(0);

fn note(size: usize) {
    // `try_with`: a thread being torn down still allocates, but has no counters any more.
    let _ = THREAD.try_with(|c| {
        let (n, bytes) = c.get();
        c.set((n + 1, bytes + size as u64));
    });
}

// SAFETY: every method forwards to `System` with the same arguments; the counting around it
// neither allocates nor touches the memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A reallocation is an allocation: it may move and copy.
        note(new_size);
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        System.realloc(ptr, layout, new_size)
    }
}

/// What this thread allocated so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub allocations: u64,
    pub bytes: u64,
}

impl Counts {
    /// Counts of this thread.
    pub fn now() -> Counts {
        let (allocations, bytes) = THREAD.with(Cell::get);
        Counts { allocations, bytes }
    }

    /// What was allocated since `earlier`.
    pub fn since(earlier: Counts) -> Counts {
        let now = Counts::now();
        Counts {
            allocations: now.allocations - earlier.allocations,
            bytes: now.bytes - earlier.bytes,
        }
    }
}

/// Bytes alive in the whole process now.
pub fn live_bytes() -> isize {
    LIVE.load(Ordering::Relaxed)
}
