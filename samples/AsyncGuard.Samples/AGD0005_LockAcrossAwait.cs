using System.Threading;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0005: a thread-affine lock held across await, and the SemaphoreSlim form.</summary>
public sealed class AGD0005_LockAcrossAwait
{
    private readonly object _gate = new();
    private readonly SemaphoreSlim _mutex = new(1, 1);
    private int _version;

    // The pitfall: after the await the method may resume on another thread, where
    // Monitor.Exit throws SynchronizationLockException and the first thread keeps the lock.
    public async Task BumpBlockingAsync()
    {
        Monitor.Enter(_gate); // flagged: AGD0005
        try
        {
            await Task.Yield();
            _version++;
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    // The fix: SemaphoreSlim has no thread affinity; wait for it asynchronously.
    public async Task BumpAsync()
    {
        await _mutex.WaitAsync();
        try
        {
            await Task.Yield();
            _version++;
        }
        finally
        {
            _mutex.Release();
        }
    }

    // Silent: the lock is released before the await.
    public async Task BumpThenYieldAsync()
    {
        Monitor.Enter(_gate);
        try
        {
            _version++;
        }
        finally
        {
            Monitor.Exit(_gate);
        }

        await Task.Yield();
    }
}
