using System.Threading.Tasks;
using Verify = AsyncGuard.Tests.Verifiers.CSharpAnalyzerVerifier<AsyncGuard.Rules.WhenAnyLosersAnalyzer>;

namespace AsyncGuard.Tests.Rules;

/// <summary>AGD0015: Task.WhenAny races whose losers are left running.</summary>
public sealed class WhenAnyLosersTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    [Fact]
    public Task TimeoutRace_DelayWithoutToken_ReportsWithMessage() => Verify.VerifyAnalyzerAsync(Usings + """
        class C
        {
            async Task<string> FetchAsync(Task<string> work)
            {
                var winner = await {|#0:Task.WhenAny(work, Task.Delay(5000))|};
                if (winner != work) throw new TimeoutException();
                return await work;
            }
        }
        """,
        Verify.Diagnostic("AGD0015").WithLocation(0).WithArguments("Task.WhenAny", "the timed-out work and the Task.Delay timer"));

    [Fact]
    public Task RaceOfInlineCalls_ResultUsed_Reports() => Verify.VerifyAnalyzerAsync(Usings + """
        class C
        {
            Task<int> Primary() => Task.FromResult(1);
            Task<int> Backup() => Task.FromResult(2);

            async Task<int> M()
            {
                var first = await {|#0:Task.WhenAny(Primary(), Backup())|}.ConfigureAwait(false);
                return await first;
            }

            async Task<int> Locals()
            {
                var a = Primary();
                var b = Backup();
                var first = await [|Task.WhenAny(a, b)|];
                return first == a ? 1 : await first;
            }
        }
        """,
        Verify.Diagnostic("AGD0015").WithLocation(0).WithArguments("Task.WhenAny", "the other tasks"));

    [Fact]
    public Task TokenSourceCancelledAfterRace_DoesNotReport() => Verify.VerifyAnalyzerAsync(Usings + """
        class C
        {
            Task Work(CancellationToken token) => Task.Delay(100, token);

            async Task M(TimeSpan timeout)
            {
                using var cts = new CancellationTokenSource();
                var work = Work(cts.Token);
                var winner = await Task.WhenAny(work, Task.Delay(timeout, cts.Token));
                cts.Cancel();
                await winner;
            }

            async Task CancelAsyncInFinally()
            {
                var cts = new CancellationTokenSource();
                try
                {
                    await Task.WhenAny(Work(cts.Token), Work(cts.Token));
                }
                finally
                {
                    await cts.CancelAsync();
                }
            }
        }
        """);

    [Fact]
    public Task LosersAwaitedStoredOrOwnedElsewhere_DoesNotReport() => Verify.VerifyAnalyzerAsync(Usings + """
        class C
        {
            private Task? background;
            private readonly TaskCompletionSource stopped = new();

            async Task Awaited(Task a, Task b)
            {
                var x = Go();
                var y = Go();
                await Task.WhenAny(x, y);
                await Task.WhenAll(x, y);
            }

            async Task Owned(Task incoming, CancellationToken token)
            {
                await Task.WhenAny(incoming, stopped.Task);
                await Task.WhenAny(background!, Task.Delay(-1, token));
            }

            async Task Kept(List<Task> pending)
            {
                var x = Go();
                pending.Add(x);
                await Task.WhenAny(x, Task.Delay(10, CancellationToken.None));
            }

            Task Go() => Task.Delay(1);
        }
        """);

    [Fact]
    public Task RemainingTasksLoop_DoesNotReport() => Verify.VerifyAnalyzerAsync(Usings + """
        class C
        {
            async Task<List<int>> DrainAsync(IEnumerable<Task<int>> jobs)
            {
                var remaining = new List<Task<int>>(jobs);
                var results = new List<int>();
                while (remaining.Count > 0)
                {
                    var finished = await Task.WhenAny(remaining);
                    remaining.Remove(finished);
                    results.Add(await finished);
                }

                var array = remaining.ToArray();
                await Task.WhenAny(array);
                return results;
            }

            async Task ReadLoop(Func<Task<int>> read, CancellationToken token)
            {
                var readTask = read();
                var tick = Task.Delay(1000, token);
                while (!token.IsCancellationRequested)
                {
                    var done = await Task.WhenAny(readTask, tick);
                    if (done == readTask) readTask = read();
                    else tick = Task.Delay(1000, token);
                }
            }
        }
        """);

    [Fact]
    public Task LocalCollectionRacedOnceAndDropped_Reports() => Verify.VerifyAnalyzerAsync(Usings + """
        using System.Linq;

        class C
        {
            async Task<int> FirstAsync(string[] urls, Func<string, Task<int>> fetch)
            {
                var tasks = new List<Task<int>>();
                foreach (var url in urls) tasks.Add(fetch(url));
                var first = await {|#0:Task.WhenAny(tasks)|};
                return await first;
            }

            async Task<int> ProjectedAsync(string[] urls, Func<string, Task<int>> fetch)
            {
                var tasks = urls.Select(fetch).ToArray();
                return await await {|#1:Task.WhenAny(tasks)|};
            }
        }
        """,
        Verify.Diagnostic("AGD0015").WithLocation(0).WithArguments("Task.WhenAny", "the other tasks"),
        Verify.Diagnostic("AGD0015").WithLocation(1).WithArguments("Task.WhenAny", "the other tasks"));

    [Fact]
    public Task LocalCollectionUsedAfterRaceOrKeptElsewhere_DoesNotReport() => Verify.VerifyAnalyzerAsync(Usings + """
        class C
        {
            private List<Task<int>> _pending = new();

            async Task<int> ThenAll(Func<Task<int>> start)
            {
                var tasks = new List<Task<int>> { start(), start() };
                var first = await Task.WhenAny(tasks);
                await Task.WhenAll(tasks);
                return first.Result;
            }

            async Task<int> Removed(Func<Task<int>> start)
            {
                var tasks = new List<Task<int>> { start(), start() };
                var first = await Task.WhenAny(tasks);
                tasks.Remove(first);
                return await first;
            }

            async Task<Task<int>> Stored(Func<Task<int>> start)
            {
                var tasks = new List<Task<int>> { start(), start() };
                _pending = tasks;
                return await Task.WhenAny(tasks);
            }

            async Task<int> Cancelled(Func<CancellationToken, Task<int>> start)
            {
                using var cts = new CancellationTokenSource();
                var tasks = new[] { start(cts.Token), start(cts.Token) };
                var first = await Task.WhenAny(tasks);
                cts.Cancel();
                return await first;
            }

            async Task<Task<int>> Parameter(List<Task<int>> tasks) => await Task.WhenAny(tasks);
        }
        """);

    // Shapes found in public relay/proxy code: two copy loops raced, then the connection torn down.
    [Fact]
    public Task RelayWhoseStreamsAreClosedAfterRace_DoesNotReport() => Verify.VerifyAnalyzerAsync(Usings + """
        using System.IO;

        class C
        {
            async Task InsideUsing(Func<Stream> open, Stream upstream, CancellationToken token)
            {
                await using var downstream = open();
                var up = downstream.CopyToAsync(upstream, token);
                var down = upstream.CopyToAsync(downstream, token);
                await Task.WhenAny(up, down);
            }

            async Task ClosedInFinally(Stream a, Stream b)
            {
                try
                {
                    await Task.WhenAny(a.CopyToAsync(b), b.CopyToAsync(a));
                }
                finally
                {
                    a.Close();
                }
            }

            async Task PumpCancelsOnExit(Stream a, Stream b)
            {
                var stop = new CancellationTokenSource();
                var first = Task.Run(async () =>
                {
                    try { await a.CopyToAsync(b, stop.Token); }
                    finally { stop.Cancel(); }
                });
                var second = b.CopyToAsync(a, stop.Token);
                await Task.WhenAny(first, second);
            }
        }
        """);

    [Fact]
    public Task TimeoutHelperAndUsingTokenSourceOnly_Report() => Verify.VerifyAnalyzerAsync(Usings + """
        static class TaskTimeouts
        {
            public static async Task<T> WithTimeout<T>(this Task<T> task, TimeSpan timeout)
            {
                if (task == await [|Task.WhenAny(task, Task.Delay(timeout))|].ConfigureAwait(false))
                    return await task.ConfigureAwait(false);
                throw new TimeoutException();
            }

            // Disposing a token source does not cancel its token: the work keeps running.
            public static async Task<bool> TryRun(Func<CancellationToken, Task> work, TimeSpan timeout)
            {
                using var cts = new CancellationTokenSource();
                var running = work(cts.Token);
                return await [|Task.WhenAny(running, Task.Delay(timeout))|] == running;
            }
        }
        """);

    [Fact]
    public Task NotAwaited_DoesNotReport() => Verify.VerifyAnalyzerAsync(Usings + """
        class C
        {
            Task<Task> M(Task a) => Task.WhenAny(a, Task.Delay(100));
        }
        """);

    [Fact]
    public Task HalfTypedCode_DoesNotThrow() => Verify.VerifyAnalyzerAsync(Usings + """
        class C
        {
            async Task M()
            {
                await Task.WhenAny({|CS0103:missing|}, Task.Delay(1));
                await Task.WhenAny();
                await Task.WhenAny(Task.Delay(1), {|CS1525:)|};
            }
        }
        """);
}
