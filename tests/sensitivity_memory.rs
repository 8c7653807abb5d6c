//! `dudsim sensitivity` keeps running sums, not every pick-freeze pair:
//! its peak memory does not grow with the number of samples. Its own test
//! binary, so that the counting allocator sees nothing else.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use dudsim::engine::thread_pool;
use dudsim::scenario::ScenarioFile;
use dudsim::sensitivity;

/// The system allocator, counting the bytes allocated now and at most.
struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = NOW.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(now, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        NOW.fetch_sub(layout.size(), Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak bytes allocated, above those allocated before, while analysing.
fn peak_while_analysing(file: &ScenarioFile, samples: u64) -> usize {
    let pool = thread_pool(Some(2)).unwrap();
    let before = NOW.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let analysis = pool.install(|| sensitivity::run(file, samples, &|_| {}));
    assert_eq!(analysis.rows.len(), 3);
    PEAK.load(Ordering::SeqCst) - before
}

#[test]
fn memory_does_not_grow_with_the_samples() {
    // Three uncertain inputs, one output, a model that costs next to nothing.
    let file = ScenarioFile::parse(
        "m.toml",
        "[simulation]\nsteps = 0\n\
         [[munition]]\nid = \"X\"\nsubmunitions = 72\ndud_rate = { uniform = [0.05, 0.15] }\n\
         self_destruct = { uniform = [0.0, 0.5] }\n\
         [[scenario]]\nname = \"s\"\nstrikes = [ { munition = \"X\", carriers = { uniform = [50, 150] } } ]\n",
    )
    .unwrap();
    let small = peak_while_analysing(&file, 20_000);
    let large = peak_while_analysing(&file, 400_000);
    eprintln!("peak allocated: {small} bytes for 20,000 samples, {large} for 400,000");
    // Storing every pair would take 16 bytes x 3 inputs x 380,000 more
    // samples, 18 MB; running sums take the same memory for both.
    assert!(
        large < small + 1_000_000,
        "peak {large} bytes for 400,000 samples against {small} for 20,000"
    );
}
