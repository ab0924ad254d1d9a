using System.Threading.Tasks;
using Verify = AsyncGuard.Tests.Verifiers.CSharpCodeFixVerifier<AsyncGuard.Rules.TaskReturnedFromUsingAnalyzer, AsyncGuard.CodeFixes.Rules.TaskReturnedFromUsingCodeFixProvider>;

namespace AsyncGuard.Tests.Rules;

/// <summary>AGD0032: a task returned from inside a using or a guarding try.</summary>
public sealed class TaskReturnedFromUsingTests
{
    [Fact]
    public Task ReturnInsideUsingStatement_ReportsAndAwaits() => Verify.VerifyCodeFixAsync(
        """
        using System.Net.Http;
        using System.Threading.Tasks;

        class C
        {
            public Task<string> GetAsync(string url)
            {
                using (var client = new HttpClient())
                {
                    // the client must outlive the request
                    return {|#0:client.GetStringAsync(url)|};
                }
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0032").WithLocation(0).WithArguments("GetStringAsync", "using block") },
        """
        using System.Net.Http;
        using System.Threading.Tasks;

        class C
        {
            public async Task<string> GetAsync(string url)
            {
                using (var client = new HttpClient())
                {
                    // the client must outlive the request
                    return await client.GetStringAsync(url);
                }
            }
        }
        """);

    [Fact]
    public Task NonGenericTaskAfterUsingDeclaration_AwaitsInTail() => Verify.VerifyCodeFixAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            public Task SaveAsync(string path, byte[] data)
            {
                using var file = File.Create(path);
                return [|file.WriteAsync(data, 0, data.Length)|];
            }
        }
        """,
        """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            public async Task SaveAsync(string path, byte[] data)
            {
                using var file = File.Create(path);
                await file.WriteAsync(data, 0, data.Length);
            }
        }
        """);

    [Fact]
    public Task TryWithFinallyAndOtherReturns_AllRewritten() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly SemaphoreSlim _gate = new(1);

            public Task SendAsync(Task work, bool skip)
            {
                if (skip) return Task.CompletedTask;
                _gate.Wait(0);
                try
                {
                    if (work.IsCompleted) return [|Inner(work)|];
                    return [|Inner(work)|];
                }
                finally
                {
                    _gate.Release();
                }
            }

            private static Task Inner(Task t) => t;
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly SemaphoreSlim _gate = new(1);

            public async Task SendAsync(Task work, bool skip)
            {
                if (skip) return;
                _gate.Wait(0);
                try
                {
                    if (work.IsCompleted)
                    {
                        await Inner(work);
                        return;
                    }

                    await Inner(work);
                }
                finally
                {
                    _gate.Release();
                }
            }

            private static Task Inner(Task t) => t;
        }
        """);

    [Fact]
    public Task TryCatch_LocalTaskMadeInside_ReportsWithConfigureAwaitStyle() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            public Task<int> M(Func<Task<int>> load)
            {
                try
                {
                    var pending = load();
                    return [|pending|];
                }
                catch (InvalidOperationException)
                {
                    return Task.FromResult(-1);
                }
            }

            async Task N() => await Task.Delay(1).ConfigureAwait(false);
        }
        """,
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            public async Task<int> M(Func<Task<int>> load)
            {
                try
                {
                    var pending = load();
                    return await pending.ConfigureAwait(false);
                }
                catch (InvalidOperationException)
                {
                    return -1;
                }
            }

            async Task N() => await Task.Delay(1).ConfigureAwait(false);
        }
        """);

    [Fact]
    public Task SilentCases_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            // already awaited
            public async Task<int> Awaited(Stream s, byte[] b)
            {
                using (s) { return await s.ReadAsync(b, 0, 1); }
            }

            // the task was made before the using
            public Task Before(Stream s, Task pending)
            {
                var started = pending.ContinueWith(_ => { });
                using (s) { return started; }
            }

            // completed tasks do not outlive anything
            public Task<int> Completed(Stream s)
            {
                using (s)
                {
                    if (s.CanRead) return Task.FromResult(1);
                    return Task.FromResult(0);
                }
            }

            public Task Done(Stream s)
            {
                try { return Task.CompletedTask; }
                finally { s.Dispose(); }
            }

            // a try with no handler, and a catch that turns a synchronous throw into a faulted task
            public Task<int> Guarded(Func<Task<int>> f)
            {
                try { return f(); }
                catch (Exception e) { return Task.FromException<int>(e); }
            }

            // the using is left before the return
            public Task After(Stream s)
            {
                using (s) { }
                return s.FlushAsync();
            }

            // a lambda inside the using is its own function
            public Func<Task> Deferred(Stream s)
            {
                using (s) { return () => s.FlushAsync(); }
            }

            // await using keeps the resource until the task is returned... and the method is async anyway
            public async Task AwaitUsing(Stream s)
            {
                await using (s) { await s.FlushAsync(); }
            }
        }
        """);

    [Fact]
    public Task LambdaAndLocalFunction_ReportAndFix() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            void M(Stream s)
            {
                Func<Task> f = () =>
                {
                    using (s) { return [|s.FlushAsync()|]; }
                };

                Task Local()
                {
                    using var copy = new MemoryStream();
                    return [|s.CopyToAsync(copy)|];
                }
            }
        }
        """,
        """
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            void M(Stream s)
            {
                Func<Task> f = async () =>
                {
                    using (s) { await s.FlushAsync(); }
                };

                async Task Local()
                {
                    using var copy = new MemoryStream();
                    await s.CopyToAsync(copy);
                }
            }
        }
        """);

    [Fact]
    public Task OtherReturnOfDifferentShape_ReportsWithoutFix() => Verify.VerifyCodeFixAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            public Task<int> M(Stream s, byte[] b, bool c, bool d)
            {
                if (c) return null!;
                using (s) { return [|s.ReadAsync(b, 0, 1)|]; }
            }

            public Task N(Stream s, out int n)
            {
                n = 0;
                using (s) { return [|s.FlushAsync()|]; }
            }
        }
        """,
        """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            public Task<int> M(Stream s, byte[] b, bool c, bool d)
            {
                if (c) return null!;
                using (s) { return [|s.ReadAsync(b, 0, 1)|]; }
            }

            public Task N(Stream s, out int n)
            {
                n = 0;
                using (s) { return [|s.FlushAsync()|]; }
            }
        }
        """);

    [Fact]
    public Task HalfTypedCode_DoesNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            public Task M()
            {
                using (var x = new {|CS0246:Missing|}())
                {
                    return {|CS0103:Nothing|}();
                }
            }

            public Task N()
            {
                try { return {|CS0103:Broken|}.Run(); }
                finally { }
            }
        }
        """);

    // ---- the try does not guard the task (issue 13, 2e) ----

    [Fact]
    public Task OwnershipHandedToTheReturnedTask_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            public Task Send(Func<Stream> open)
            {
                var stream = open();
                var owns = true;
                try
                {
                    owns = false;
                    return RestAsync(stream);
                }
                finally
                {
                    if (owns) stream.Dispose();
                }
            }

            public Task SendAndForget(Func<Stream> open)
            {
                var stream = open();
                try
                {
                    return [|RestAsync(stream)|];
                }
                finally
                {
                    stream.Dispose();
                }
            }

            private static async Task RestAsync(Stream stream)
            {
                await using (stream) await stream.FlushAsync();
            }
        }
        """);

    [Fact]
    public Task CatchGuardingTheSynchronousWork_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            public Task Subscribe(string subject, Func<string, Task> subscribe, Action<Exception> record)
            {
                try
                {
                    if (subject.Length == 0) throw new ArgumentException("empty", nameof(subject));
                    return subscribe(subject);
                }
                catch (Exception ex)
                {
                    record(ex);
                    throw;
                }
            }

            public Task Plain(string subject, Func<string, Task> subscribe, Action<Exception> record)
            {
                try
                {
                    return [|subscribe(subject)|];
                }
                catch (Exception ex)
                {
                    record(ex);
                    throw;
                }
            }
        }
        """);

    // nats.net's UnsubscribeAsync: the catch logs what the call throws before it returns the task
    // (a disposed connection) and returns nothing of its own. Awaiting inside the try would make it
    // swallow the task's faults as well, so the rule cannot know the fix is wanted. A catch that
    // throws, or makes a fallback result, is about the work's failure and should cover the task.
    [Fact]
    public Task CatchesThatOnlyLogOrReturnDefault_DoNotReport_ACatchThatThrowsReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class Connection
        {
            public bool IsDisposed { get; set; }
            public ValueTask SendAsync(int sid) => default;
            public Task<int> CountAsync() => Task.Run(() => 1);

            public ValueTask UnsubscribeAsync(int sid, Action<Exception> log)
            {
                try
                {
                    return SendAsync(sid);
                }
                catch (Exception ex)
                {
                    if (IsDisposed) return default;
                    log(ex);
                }

                return default;
            }

            public Task<int> CountOrThrowAsync(Action<Exception> log)
            {
                try
                {
                    return {|#0:CountAsync()|};
                }
                catch (Exception ex)
                {
                    log(ex);
                    if (IsDisposed) throw new ObjectDisposedException(nameof(Connection), ex);
                    return Task.FromResult(0);
                }
            }
        }
        """,
        Verify.Diagnostic("AGD0032").WithLocation(0).WithArguments("CountAsync", "try block"));

    // grpc-dotnet's stream writer: 'return CreateErrorTask(...)' inside a using: the helper hands back
    // a task that is already faulted, so nothing outlives the scope. A helper that starts work does.
    [Fact]
    public Task HelperReturningOnlyCompletedTasks_DoesNotReport_HelperStartingWorkReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class Writer
        {
            private readonly Stream _stream = Stream.Null;
            private bool _completed;

            private Task CreateErrorTask(string message)
            {
                var ex = new InvalidOperationException(message);
                Console.Error.WriteLine(ex.Message);
                return Task.FromException(ex);
            }

            private Task Skip() => Task.CompletedTask;

            private Task WriteCore(byte[] data) => _stream.WriteAsync(data, 0, data.Length);

            public Task WriteAsync(byte[] data, Func<IDisposable> startScope)
            {
                using (startScope())
                {
                    if (_completed) return CreateErrorTask("Request stream has already been completed.");
                    if (data.Length == 0) return Skip();
                    return {|#0:WriteCore(data)|};
                }
            }
        }
        """,
        Verify.Diagnostic("AGD0032").WithLocation(0).WithArguments("WriteCore", "using block"));

    [Fact]
    public Task ReturnedLocalAsyncFunctionWithItsOwnCatch_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            public Task Run(Func<Task> work, Action<Exception> record)
            {
                try
                {
                    return Core();
                }
                catch (InvalidOperationException ex)
                {
                    record(ex);
                    return Task.CompletedTask;
                }

                async Task Core()
                {
                    try { await work(); }
                    catch (InvalidOperationException ex) { record(ex); }
                }
            }

            public Task RunUnguarded(Func<Task> work, Action<Exception> record)
            {
                try
                {
                    return [|Core()|];
                }
                catch (InvalidOperationException ex)
                {
                    record(ex);
                    return Task.CompletedTask;
                }

                async Task Core() => await work();
            }
        }
        """);
}
