using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0013: async lambdas handed to void-returning delegates, and their fixes.</summary>
public sealed class AGD0013_AsyncLambdaToVoidDelegate
{
    private readonly List<string> sent = new();

    private async Task SendAsync(string message, CancellationToken cancellationToken)
    {
        await Task.Delay(10, cancellationToken);
        sent.Add(message);
    }

    // The pitfall: ForEach takes an Action<T>, so each lambda runs as async void. The method
    // returns before anything is sent, and a failed send crashes the process.
    public async Task NotifyAllBrokenAsync(List<string> messages, CancellationToken cancellationToken)
    {
        messages.ForEach(async message => await SendAsync(message, cancellationToken)); // flagged: AGD0013
        await Task.Yield();
    }

    // The same with Parallel.ForEach: the loop "finishes" at the first await of each item.
    public async Task NotifyAllParallelBrokenAsync(IEnumerable<string> messages, CancellationToken cancellationToken)
    {
        Parallel.ForEach(messages, async message => await SendAsync(message, cancellationToken)); // flagged: AGD0013
        await Task.Yield();
    }

    // A timer callback is an Action in disguise.
    public Timer StartHeartbeatBroken() =>
        new(async _ => await SendAsync("ping", CancellationToken.None), null, 0, 1000); // flagged: AGD0013

    // The fixes: a loop that awaits each item, or Parallel.ForEachAsync.
    public async Task NotifyAllAsync(List<string> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            await SendAsync(message, cancellationToken);
        }
    }

    public async Task NotifyAllParallelAsync(IEnumerable<string> messages, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(messages, cancellationToken, async (message, ct) => await SendAsync(message, ct));
    }

    // Silent: an event subscription is where async void belongs.
    public void Subscribe(Progress<string> progress)
    {
        progress.ProgressChanged += async (sender, message) => await SendAsync(message, CancellationToken.None);
    }
}
