using System;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0010: a task dropped as a statement where the compiler does not warn, and its fixes.</summary>
public sealed class AGD0010_UnobservedTask
{
    private readonly Func<Task> save;

    public AGD0010_UnobservedTask(Func<Task> save)
    {
        this.save = save;

        // The pitfall: a constructor starts work that nobody waits for or checks.
        Task.Run(WarmUp); // flagged: AGD0010
    }

    public event EventHandler? Changed;

    // The pitfall: a synchronous handler drops the save's task, and its failure.
    public void WireBlocking() => Changed += (sender, e) => save(); // flagged: AGD0010

    // The pitfall: a task-returning method that forgets one of its two tasks.
    public Task SaveTwiceBlocking()
    {
        save(); // flagged: AGD0010
        return save();
    }

    // The fixes: await where the method can be async; say so with '_ =' where fire-and-forget is meant.
    public async Task SaveTwiceAsync()
    {
        await save();
        await save();
    }

    public void Wire() => Changed += (sender, e) => _ = save();

    // Silent: the task is returned, and a continuation that only observes the fault.
    public Task SaveOnce() => save();

    public void SaveAndLog() =>
        save().ContinueWith(t => Console.Error.WriteLine(t.Exception), TaskContinuationOptions.OnlyOnFaulted);

    public void RaiseChanged() => Changed?.Invoke(this, EventArgs.Empty);

    private static void WarmUp()
    {
    }
}
