using System;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0011: a task kept in a local that nobody reads, and its fix.</summary>
public sealed class AGD0011_UnobservedTaskLocal
{
    // The pitfall: the warm-up task is named, then forgotten; the method may end before it does.
    public async Task<int> CountBlockingAsync(Func<Task> warmUp, Func<Task<int>> count)
    {
        var warming = warmUp(); // flagged: AGD0011
        return await count();
    }

    // The fix: the warm-up still runs beside the count, and is awaited before the method ends.
    public async Task<int> CountAsync(Func<Task> warmUp, Func<Task<int>> count)
    {
        var warming = warmUp();
        var result = await count();
        await warming;
        return result;
    }
}
