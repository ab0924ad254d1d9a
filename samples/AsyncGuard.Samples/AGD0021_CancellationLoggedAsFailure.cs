using System;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0021: a catch-all that logs a cancelled send as an error, and its fix.</summary>
public sealed class AGD0021_CancellationLoggedAsFailure
{
    // The pitfall: every cancelled send is written to the error log.
    public async Task<bool> TrySendNoisyAsync(Func<CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        try
        {
            await send(cancellationToken);
            return true;
        }
        catch (Exception ex) // flagged: AGD0021
        {
            Console.Error.WriteLine("send failed: " + ex.Message);
            return false;
        }
    }

    // The fix: cancellation passes the catch by and reaches the caller.
    public async Task<bool> TrySendAsync(Func<CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        try
        {
            await send(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Console.Error.WriteLine("send failed: " + ex.Message);
            return false;
        }
    }
}
