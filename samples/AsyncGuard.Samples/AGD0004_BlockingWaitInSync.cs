using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0004: blocking on a task from synchronous code, and the async caller.</summary>
public sealed class AGD0004_BlockingWaitInSync
{
    private static Task<int> CountAsync() => Task.Run(() => 42);

    // The pitfall: a synchronous bridge. Under a UI or legacy request context this deadlocks;
    // on the thread pool it holds a thread for the whole operation.
    public int CountBlocking() => CountAsync().Result; // flagged: AGD0004

    public void Flush(Task pending) => pending.Wait(); // flagged: AGD0004

    // The fix: make the caller async and await, all the way up.
    public async Task<int> CountCallerAsync() => await CountAsync();

    public async Task FlushAsync(Task pending) => await pending;

    // Silent: a completed task's result is read, not waited for.
    public int CountIfDone(Task<int> pending) => pending.IsCompleted ? pending.Result : -1;
}
