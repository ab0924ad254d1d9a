using System.Threading.Tasks;
using AsyncGuard.CodeFixes.Rules;
using Verify = AsyncGuard.Tests.Verifiers.CSharpCodeFixVerifier<AsyncGuard.Rules.NestedTaskAnalyzer, AsyncGuard.CodeFixes.Rules.NestedTaskCodeFixProvider>;

namespace AsyncGuard.Tests.Rules;

/// <summary>AGD0014: Task&lt;Task&gt; from StartNew, ContinueWith or new Task&lt;Task&gt; used as the work's task.</summary>
public sealed class NestedTaskTests
{
    [Fact]
    public Task StartNew_AwaitedOnce_FixesToTaskRun() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                // run it in the background
                await Task.Factory.{|#0:StartNew|}(async () => await Task.Delay(10)); // trailing
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0014").WithLocation(0).WithArguments("StartNew", "Task<Task>", "use 'Task.Run', which unwraps async delegates") },
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                // run it in the background
                await Task.Run(async () => await Task.Delay(10)); // trailing
            }
        }
        """);

    [Fact]
    public Task StartNew_DefaultOptionsTokenAndGenericResult_FixAllToTaskRun() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Task<int> Compute() => Task.FromResult(1);

            Task M(CancellationToken token)
            {
                Task a = Task.Factory.[|StartNew|](async () => await Compute(), token);
                var b = Task.Factory.[|StartNew|](async () => await Task.Delay(1), token, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
                return Task.WhenAll(a, b);
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Task<int> Compute() => Task.FromResult(1);

            Task M(CancellationToken token)
            {
                Task a = Task.Run(async () => await Compute(), token);
                var b = Task.Run(async () => await Task.Delay(1), token);
                return Task.WhenAll(a, b);
            }
        }
        """);

    [Fact]
    public Task StartNewLongRunningAndContinueWith_FixAllToUnwrap() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task first)
            {
                await Task.Factory.[|StartNew|](async () => await Task.Delay(1), TaskCreationOptions.LongRunning).ConfigureAwait(false);
                await first.[|ContinueWith|](async t => await Task.Delay(1));
            }
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task first)
            {
                await Task.Factory.StartNew(async () => await Task.Delay(1), TaskCreationOptions.LongRunning).Unwrap().ConfigureAwait(false);
                await first.ContinueWith(async t => await Task.Delay(1)).Unwrap();
            }
        }
        """);

    [Fact]
    public Task StartNew_LocalAwaitedOnce_FixesToTaskRun() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                var worker = Task.Factory.[|StartNew|](async () => await Task.Delay(1));
                await Task.Yield();
                await worker;
            }
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                var worker = Task.Run(async () => await Task.Delay(1));
                await Task.Yield();
                await worker;
            }
        }
        """);

    [Fact]
    public Task NewTaskOfTask_StartedAndAwaitedOnce_ReportsWithoutFix() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                var task = new [|Task<Task>|](async () => await Task.Delay(1));
                task.Start();
                await task;
            }
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                var task = new [|Task<Task>|](async () => await Task.Delay(1));
                task.Start();
                await task;
            }
        }
        """);

    [Fact]
    public Task ExplicitlyTypedLocal_ReportsWithoutFix() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                Task<Task> worker = Task.Factory.[|StartNew|](async () => await Task.Delay(1));
                await worker;
            }
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                Task<Task> worker = Task.Factory.[|StartNew|](async () => await Task.Delay(1));
                await worker;
            }
        }
        """);

    [Fact]
    public Task UnwrappedOrAwaitedTwice_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task first)
            {
                await await Task.Factory.StartNew(async () => await Task.Delay(1));
                await Task.Factory.StartNew(async () => await Task.Delay(1)).Unwrap();
                var inner = await first.ContinueWith(async t => await Task.Delay(1));
                await inner;
                var outer = Task.Factory.StartNew(async () => await Task.Delay(1));
                await outer.Unwrap();
                var started = new Task<Task>(async () => await Task.Delay(1));
                started.Start();
                await started.Result;
                await Task.Factory.StartNew(() => Task.Delay(1).Wait());
                await Task.Run(async () => await Task.Delay(1));
            }

            Task<Task> Keep() => Task.Factory.StartNew(async () => await Task.Delay(1));
        }
        """);

    [Fact]
    public Task StartNewWithStateOrCustomFactory_UnwrapsInsteadOfTaskRun() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            Task M(TaskFactory factory)
            {
                Task a = Task.Factory.[|StartNew|](async s => await Task.Delay((int)s!), (object)5);
                Task b = factory.[|StartNew|](async () => await Task.Delay(1));
                return Task.WhenAll(a, b);
            }
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            Task M(TaskFactory factory)
            {
                Task a = Task.Factory.StartNew(async s => await Task.Delay((int)s!), (object)5).Unwrap();
                Task b = factory.StartNew(async () => await Task.Delay(1)).Unwrap();
                return Task.WhenAll(a, b);
            }
        }
        """);

    [Fact]
    public Task StartNew_WaitedOrPassedToWhenAll_FixesToTaskRun() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            void Sync() => Task.Factory.[|StartNew|](async () => await Task.Delay(1)).Wait();

            Task All(Task other) => Task.WhenAll(other, Task.Factory.[|StartNew|](async () => await Task.Delay(1)));
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            void Sync() => Task.Run(async () => await Task.Delay(1)).Wait();

            Task All(Task other) => Task.WhenAll(other, Task.Run(async () => await Task.Delay(1)));
        }
        """);

    // Found in public code: batches started with a state argument into a List<Task>, then WhenAll.
    [Fact]
    public Task StartNewWithState_AddedToTaskList_FixesToUnwrap() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            Task Handle(string[]? batch) => Task.CompletedTask;

            async Task ProcessAll(List<string[]> batches)
            {
                var running = new List<Task>();
                foreach (var batch in batches)
                {
                    running.Add(Task.Factory.[|StartNew|](async state => await Handle(state as string[]), batch));
                }

                await Task.WhenAll(running);
            }
        }
        """,
        """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            Task Handle(string[]? batch) => Task.CompletedTask;

            async Task ProcessAll(List<string[]> batches)
            {
                var running = new List<Task>();
                foreach (var batch in batches)
                {
                    running.Add(Task.Factory.StartNew(async state => await Handle(state as string[]), batch).Unwrap());
                }

                await Task.WhenAll(running);
            }
        }
        """);

    [Fact]
    public Task HalfTypedCode_DoesNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                await Task.Factory.StartNew(async () => await {|CS1525:)|};
                await Task.Factory.{|CS1501:StartNew|}();
            }
        }
        """);

    // ---- ContinueWith(t => t): waiting without rethrowing (issue 13, 2d) ----

    [Fact]
    public Task ContinueWith_ReturningTheAntecedent_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task WaitQuietly(Task work)
            {
                await work.ContinueWith(t => t, TaskScheduler.Default);
                await work.ContinueWith(t => { return t; });
            }

            async Task Other(Task work, Task next)
            {
                await work.{|AGD0014:ContinueWith|}(t => next);
                await work.{|AGD0014:ContinueWith|}(async t => await next);
            }
        }
        """);
}
