using System;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0020: a worker loop that swallows cancellation, and its fix.</summary>
public sealed class AGD0020_SwallowedCancellation
{
    // The pitfall: the loop catches the cancellation and goes round again, so a stop request
    // never stops it; every round throws and is caught again.
    public async Task RunSwallowingAsync(Func<CancellationToken, Task> handleNext, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await handleNext(cancellationToken);
            }
            catch (OperationCanceledException) // flagged: AGD0020
            {
                Console.WriteLine("cancelled, trying again");
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine(ex.Message);
            }
        }
    }

    // A general catch around awaited work takes the cancellation too.
    public async Task RetryForeverAsync(Func<CancellationToken, Task> handleNext, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await handleNext(cancellationToken);
            }
            catch (Exception ex) // flagged: AGD0020
            {
                Console.Error.WriteLine(ex.Message);
            }
        }
    }

    // The fix: clean up, then let the cancellation end the loop.
    public async Task RunAsync(Func<CancellationToken, Task> handleNext, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await handleNext(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("cancelled, stopping");
                throw;
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine(ex.Message);
            }
        }
    }

    public async Task RetryAsync(Func<CancellationToken, Task> handleNext, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await handleNext(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Console.Error.WriteLine(ex.Message);
            }
        }
    }

    // Silent: the hosted-service shutdown idiom, nothing runs after the catch.
    public async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
