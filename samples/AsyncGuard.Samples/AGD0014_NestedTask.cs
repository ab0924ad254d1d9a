using System;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0014: a Task&lt;Task&gt; from StartNew or ContinueWith used as the work's task, and the fixes.</summary>
public sealed class AGD0014_NestedTask
{
    private static async Task ImportAsync(CancellationToken cancellationToken) => await Task.Delay(100, cancellationToken);

    // The pitfall: StartNew returns Task<Task>. The await ends at ImportAsync's first await,
    // and an exception from the import is never seen.
    public async Task ImportInBackgroundBrokenAsync(CancellationToken cancellationToken)
    {
        await Task.Factory.StartNew(async () => await ImportAsync(cancellationToken), cancellationToken); // flagged: AGD0014
    }

    // ContinueWith with an async callback: WhenAll waits for the callback's start only.
    public Task ImportAfterBrokenAsync(Task previous, CancellationToken cancellationToken)
    {
        var next = previous.ContinueWith(async _ => await ImportAsync(cancellationToken), TaskScheduler.Default); // flagged: AGD0014
        return Task.WhenAll(previous, next);
    }

    // The fixes: Task.Run understands async delegates; Unwrap gives the inner task.
    public async Task ImportInBackgroundAsync(CancellationToken cancellationToken)
    {
        await Task.Run(async () => await ImportAsync(cancellationToken), cancellationToken);
    }

    public Task ImportAfterAsync(Task previous, CancellationToken cancellationToken)
    {
        var next = previous.ContinueWith(async _ => await ImportAsync(cancellationToken), TaskScheduler.Default).Unwrap();
        return Task.WhenAll(previous, next);
    }

    // Silent: a long-running worker whose inner task is awaited explicitly.
    public async Task RunWorkerAsync(Func<Task> work)
    {
        await await Task.Factory.StartNew(work, TaskCreationOptions.LongRunning);
    }
}
