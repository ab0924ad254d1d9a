using System.Net.Http;
using System.Threading.Tasks;

namespace AsyncGuard.Samples;

/// <summary>AGD0003: blocking on a task inside async code, and the awaited form.</summary>
public sealed class AGD0003_BlockingWaitInAsync
{
    private readonly HttpClient _http = new();

    // The pitfall: each wait holds a thread that await would have given back, and under a
    // synchronization context the wait deadlocks against the continuation it waits for.
    public async Task<int> MeasureBlockingAsync(string first, string second)
    {
        await Task.Yield();
        var a = _http.GetStringAsync(first);
        var b = _http.GetStringAsync(second);
        Task.WaitAll(a, b); // flagged: AGD0003
        var length = _http.GetStringAsync(first).Result.Length; // flagged: AGD0003
        return length + _http.GetStringAsync(second).GetAwaiter().GetResult().Length; // flagged: AGD0003
    }

    // The fix: await the tasks; Task.WhenAll waits for both without a thread.
    public async Task<int> MeasureAsync(string first, string second)
    {
        var a = _http.GetStringAsync(first);
        var b = _http.GetStringAsync(second);
        await Task.WhenAll(a, b);
        var length = (await _http.GetStringAsync(first)).Length;
        return length + (await _http.GetStringAsync(second)).Length;
    }

    // Silent: the tasks are complete once the awaited WhenAll returns, so .Result does not block.
    public async Task<int> SumAsync(Task<int> left, Task<int> right)
    {
        await Task.WhenAll(left, right);
        return left.Result + right.Result;
    }

    // Silent: a completion check proves the task finished.
    public async Task<int> FastPathAsync(Task<int> pending)
    {
        if (pending.IsCompletedSuccessfully) return pending.Result;
        return await pending;
    }
}
