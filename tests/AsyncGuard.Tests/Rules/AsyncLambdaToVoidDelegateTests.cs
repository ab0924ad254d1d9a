using System.Threading.Tasks;
using AsyncGuard.CodeFixes.Rules;
using Verify = AsyncGuard.Tests.Verifiers.CSharpCodeFixVerifier<AsyncGuard.Rules.AsyncLambdaToVoidDelegateAnalyzer, AsyncGuard.CodeFixes.Rules.AsyncLambdaToVoidDelegateCodeFixProvider>;

namespace AsyncGuard.Tests.Rules;

/// <summary>AGD0013: async lambdas, anonymous methods and method groups turned into void delegates.</summary>
public sealed class AsyncLambdaToVoidDelegateTests
{
    [Fact]
    public Task AsyncLambda_PassedAsAction_ReportsWithMessage() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            void Run(Action action) => action();

            void M() => Run({|#0:async|} () => await Task.Delay(1));
        }
        """,
        Verify.Diagnostic("AGD0013").WithLocation(0).WithArguments("lambda", "Action", "use an overload that takes a Task-returning delegate, or await the work"));

    [Fact]
    public Task AsyncAnonymousMethod_ThreadStartAndTimer_Report() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                var thread = new Thread([|async|] () => await Task.Delay(1));
                var timer = new Timer([|async|] delegate (object? state) { await Task.Delay(1); }, null, 0, 1000);
                ThreadPool.QueueUserWorkItem([|async|] _ => await Task.Yield());
                thread.Start();
                timer.Dispose();
            }
        }
        """);

    [Fact]
    public Task AsyncVoidMethodGroup_ReportedByAGD0012AtItsDeclaration_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async void Refresh() => await Task.Delay(1);

            Task M() => Task.Run(Refresh);
        }
        """);

    [Fact]
    public Task AsyncVoidOverrideMethodGroup_PassedToTaskRun_ReportsWithMethodName() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        abstract class B { protected abstract void Refresh(); }

        class C : B
        {
            protected override async void Refresh() => await Task.Delay(1);

            Task M() => Task.Run({|#0:Refresh|});
        }
        """,
        Verify.Diagnostic("AGD0013").WithLocation(0).WithArguments("method 'Refresh'", "Action", "use an overload that takes a Task-returning delegate, or await the work"));

    [Fact]
    public Task AsyncLambda_EventSubscriptionAndUnsubscription_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            event EventHandler? Changed;
            Action? callbacks;

            async void OnChanged(object? sender, EventArgs e) => await Task.Yield();

            void M()
            {
                Changed += async (s, e) => await Task.Delay(1);
                Changed += new EventHandler(async (s, e) => await Task.Delay(1));
                Changed += OnChanged;
                Changed -= OnChanged;
                callbacks += async () => await Task.Delay(1);
            }
        }
        """);

    [Fact]
    public Task AsyncLambda_TaskReturningDelegate_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            void Run(Action action) => action();
            void Run(Func<Task> action) => action();

            async Task M(List<int> items)
            {
                Run(async () => await Task.Delay(1));
                await Task.Run(async () => await Task.Delay(1));
                Func<int, Task> f = async x => await Task.Delay(x);
                Action sync = () => { };
                items.ForEach(x => Console.WriteLine(x));
                await f(1);
                sync();
            }
        }
        """);

    [Fact]
    public Task ListForEach_BlockBody_FixesToForEachLoop() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task SaveAllAsync(List<string> names)
            {
                // save each one
                names.ForEach({|#0:async|} name =>
                {
                    if (name.Length == 0) return;
                    await SaveAsync(name);
                }); // done
            }

            Task SaveAsync(string name) => Task.CompletedTask;
        }
        """,
        new[] { Verify.Diagnostic("AGD0013").WithLocation(0).WithArguments("lambda", "Action<string>", "use a foreach loop that awaits each item") },
        """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task SaveAllAsync(List<string> names)
            {
                // save each one
                foreach (var name in names)
                {
                    if (name.Length == 0) continue;
                    await SaveAsync(name);
                } // done
            }

            Task SaveAsync(string name) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task ListForEach_ExpressionBodyAndTypedParameter_FixAll() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M(List<int> ids, List<string> names)
            {
                ids.ForEach([|async|] id => await Task.Delay(id));
                names.ForEach([|async|] (string n) => await Task.Delay(n.Length));
            }
        }
        """,
        """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M(List<int> ids, List<string> names)
            {
                foreach (var id in ids)
                {
                    await Task.Delay(id);
                }
                foreach (string n in names)
                {
                    await Task.Delay(n.Length);
                }
            }
        }
        """);

    [Fact]
    public Task ListForEach_NonAsyncTaskMethod_BecomesAsync() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            Task M(List<int> ids)
            {
                ids.ForEach([|async|] id => await Task.Delay(id));
                return Task.CompletedTask;
            }
        }
        """,
        """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M(List<int> ids)
            {
                foreach (var id in ids)
                {
                    await Task.Delay(id);
                }
            }
        }
        """);

    [Fact]
    public Task ListForEach_NoFixShapes_ReportWithoutFix() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            // Synchronous method: a loop with await cannot go here.
            void Sync(List<int> ids) => ids.ForEach([|async|] id => await Task.Delay(id));

            async Task NestedLoop(List<int[]> rows)
            {
                // 'return' inside an inner loop cannot become 'continue'.
                rows.ForEach([|async|] row =>
                {
                    foreach (var cell in row)
                    {
                        if (cell < 0) return;
                        await Task.Delay(cell);
                    }
                });
                await Task.Yield();
            }

            async Task Conditional(List<int>? ids)
            {
                ids?.ForEach([|async|] id => await Task.Delay(id));
                await Task.Yield();
            }

            async Task InLock(List<int> ids)
            {
                lock (this) { ids.ForEach([|async|] id => await Task.Delay(id)); }
                await Task.Yield();
            }
        }
        """,
        """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            // Synchronous method: a loop with await cannot go here.
            void Sync(List<int> ids) => ids.ForEach([|async|] id => await Task.Delay(id));

            async Task NestedLoop(List<int[]> rows)
            {
                // 'return' inside an inner loop cannot become 'continue'.
                rows.ForEach([|async|] row =>
                {
                    foreach (var cell in row)
                    {
                        if (cell < 0) return;
                        await Task.Delay(cell);
                    }
                });
                await Task.Yield();
            }

            async Task Conditional(List<int>? ids)
            {
                ids?.ForEach([|async|] id => await Task.Delay(id));
                await Task.Yield();
            }

            async Task InLock(List<int> ids)
            {
                lock (this) { ids.ForEach([|async|] id => await Task.Delay(id)); }
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task ParallelForEach_ForwardsTokenInScope() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(IEnumerable<string> urls, CancellationToken token)
            {
                Parallel.ForEach(urls, {|#0:async|} url =>
                {
                    await Task.Delay(url.Length, token);
                });
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0013").WithLocation(0).WithArguments("lambda", "Action<string>", "use 'await Parallel.ForEachAsync'") },
        """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(IEnumerable<string> urls, CancellationToken token)
            {
                await Parallel.ForEachAsync(urls, token, async (url, cancellationToken) =>
                {
                    await Task.Delay(url.Length, token);
                });
            }
        }
        """);

    [Fact]
    public Task ParallelForEach_WithOptionsAndConfigureAwaitFile_FixAll() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M(List<int> ids, ParallelOptions options)
            {
                await Task.Delay(1).ConfigureAwait(false);
                Parallel.ForEach(ids, options, [|async|] id => await Task.Delay(id).ConfigureAwait(false));
                Parallel.ForEach(ids, [|async|] (cancellationToken) => await Task.Delay(cancellationToken).ConfigureAwait(false));
            }
        }
        """,
        """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M(List<int> ids, ParallelOptions options)
            {
                await Task.Delay(1).ConfigureAwait(false);
                await Parallel.ForEachAsync(ids, options, async (id, cancellationToken) => await Task.Delay(id).ConfigureAwait(false)).ConfigureAwait(false);
                await Parallel.ForEachAsync(ids, async (cancellationToken, ct) => await Task.Delay(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            }
        }
        """);

    [Fact]
    public Task ParallelForEach_LoopStateOrUsedResult_NoFix() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M(List<int> ids)
            {
                Parallel.ForEach(ids, [|async|] (id, state) => await Task.Delay(id));
                var result = Parallel.ForEach(ids, [|async|] id => await Task.Delay(id));
                Parallel.For(0, 10, [|async|] i => await Task.Delay(i));
                await Task.Yield();
            }
        }
        """,
        """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M(List<int> ids)
            {
                Parallel.ForEach(ids, [|async|] (id, state) => await Task.Delay(id));
                var result = Parallel.ForEach(ids, [|async|] id => await Task.Delay(id));
                Parallel.For(0, 10, [|async|] i => await Task.Delay(i));
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task HalfTypedCode_DoesNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M(List<int> ids)
            {
                ids.ForEach([|async|] id => await {|CS1525:)|}{|CS1002:|}
                {|CS0103:Run|}(async () => await Task.Delay(1));
                {|CS0103:Missing|}.ForEach(async x => await x);
            }
        }
        """);
}
