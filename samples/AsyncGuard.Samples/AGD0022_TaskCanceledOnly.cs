using System;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0022: catching TaskCanceledException alone, and its fix.</summary>
public sealed class AGD0022_TaskCanceledOnly
{
    // The pitfall: ThrowIfCancellationRequested throws the base type, which passes this catch by.
    public async Task<bool> WaitNarrowAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await work(cancellationToken);
            return true;
        }
        catch (TaskCanceledException) // flagged: AGD0022
        {
            return false;
        }
    }

    // The fix: OperationCanceledException covers every kind of cancellation.
    public async Task<bool> WaitAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await work(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // Silent: the HttpClient timeout idiom means exactly the timeout.
    public async Task<bool> TimedAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        try
        {
            await work(cancellationToken);
            return true;
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            return false;
        }
    }
}
