using System;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0001: Thread.Sleep in async code, and its fix.</summary>
public sealed class AGD0001_BlockingSleep
{
    // The pitfall: the poller holds a thread-pool thread for five seconds per round,
    // and a shutdown has to wait the sleep out.
    public async Task PollBlockingAsync(Func<CancellationToken, Task> check, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await check(cancellationToken);
            Thread.Sleep(TimeSpan.FromSeconds(5)); // flagged: AGD0001
        }
    }

    // A non-async task method blocks its caller too.
    public Task WarmUpBlockingAsync()
    {
        Thread.Sleep(250); // flagged: AGD0001
        return Task.CompletedTask;
    }

    // The fix: the wait gives the thread back and ends as soon as the token is cancelled.
    public async Task PollAsync(Func<CancellationToken, Task> check, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await check(cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        }
    }

    public async Task WarmUpAsync() => await Task.Delay(250);

    // Silent: a synchronous lambda offloaded to the pool is the right place to block.
    public Task OffloadAsync() => Task.Run(() => Thread.Sleep(250));

    // Silent: Thread.Sleep(0) is a yield, and synchronous code may sleep.
    public async Task YieldAsync()
    {
        Thread.Sleep(0);
        await Task.Yield();
    }

    public void Pause() => Thread.Sleep(10);
}
