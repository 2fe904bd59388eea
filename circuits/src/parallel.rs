//! The one place rayon is imported: parallel iterators when the `parallel`
//! feature is on, plain iterators otherwise.

#[cfg(feature = "parallel")]
pub use rayon::prelude::*;

/// Maps `f` over `items`, in parallel with the `parallel` feature.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        items.par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        items.iter().map(f).collect()
    }
}

/// Sets the size of the global thread pool (`--threads`); `0` keeps the
/// default of one thread per core. Only the first call has an effect.
pub fn set_threads(threads: usize) {
    #[cfg(feature = "parallel")]
    if threads > 0 {
        // A second call finds the pool built; keeping the first size is right.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global();
    }
    #[cfg(not(feature = "parallel"))]
    let _ = threads;
}

/// Threads the parallel code runs on.
pub fn current_threads() -> usize {
    #[cfg(feature = "parallel")]
    {
        rayon::current_num_threads()
    }
    #[cfg(not(feature = "parallel"))]
    {
        1
    }
}
