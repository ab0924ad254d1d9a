using System.Threading.Tasks;
using AsyncGuard.CodeFixes.Rules;
using AsyncGuard.Rules;
using Microsoft.CodeAnalysis.CSharp;
using Verify = AsyncGuard.Tests.Verifiers.CSharpCodeFixVerifier<AsyncGuard.Rules.BlockingSleepAnalyzer, AsyncGuard.CodeFixes.Rules.BlockingSleepCodeFixProvider>;

namespace AsyncGuard.Tests.Rules;

/// <summary>AGD0001: Thread.Sleep in async code.</summary>
public sealed class BlockingSleepTests
{
    [Fact]
    public Task ThreadSleep_InAsyncMethod_ReportsAndFixesToTaskDelay() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                // wait for the device
                [|Thread.Sleep(100)|]; // trailing
                await Task.Yield();
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                // wait for the device
                await Task.Delay(100); // trailing
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_TimeSpanOverload_ForwardsParameterToken() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken cancellationToken)
            {
                [|Thread.Sleep(TimeSpan.FromSeconds(1))|];
                await Task.Yield();
            }
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken cancellationToken)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_MessageNamesTheCall() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M() { {|#0:Thread.Sleep(5)|}; await Task.Yield(); }
        }
        """,
        Verify.Diagnostic("AGD0001").WithLocation(0).WithArguments("Thread.Sleep"));

    [Fact]
    public Task ThreadSleep_NamedArgumentAndFullyQualified_KeepsArgument() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                [|System.Threading.Thread.Sleep(millisecondsTimeout: 250)|];
                await Task.Yield();
            }
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                await Task.Delay(250);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_NoTasksImport_QualifiesTask() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;

        class C
        {
            async System.Threading.Tasks.Task M()
            {
                [|Thread.Sleep(10)|];
            }
        }
        """,
        """
        using System.Threading;

        class C
        {
            async System.Threading.Tasks.Task M()
            {
                await System.Threading.Tasks.Task.Delay(10);
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_PrefersParameterOverFieldAndLocal() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly CancellationToken _shutdown;

            async Task M(CancellationToken token)
            {
                var local = CancellationToken.None;
                [|Thread.Sleep(100)|];
                await Task.Yield();
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly CancellationToken _shutdown;

            async Task M(CancellationToken token)
            {
                var local = CancellationToken.None;
                await Task.Delay(100, token);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_FieldTokenOnly_UsesField() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly CancellationToken _shutdown;

            async Task M()
            {
                [|Thread.Sleep(100)|];
            }

            static async Task S()
            {
                [|Thread.Sleep(100)|];
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly CancellationToken _shutdown;

            async Task M()
            {
                await Task.Delay(100, _shutdown);
            }

            static async Task S()
            {
                await Task.Delay(100);
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_LocalDeclaredAfter_IsNotUsed() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                [|Thread.Sleep(100)|];
                var later = new CancellationTokenSource().Token;
                await Task.Delay(1, later);
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                await Task.Delay(100);
                var later = new CancellationTokenSource().Token;
                await Task.Delay(1, later);
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_ConfigureAwaitFalseFile_KeepsStyle() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                [|Thread.Sleep(100)|];
                await Task.Delay(2).ConfigureAwait(false);
                await Task.Delay(1).ConfigureAwait(false);
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                await Task.Delay(100).ConfigureAwait(false);
                await Task.Delay(2).ConfigureAwait(false);
                await Task.Delay(1).ConfigureAwait(false);
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_ExpressionBodiedAsyncMember_Fixes() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M() => [|Thread.Sleep(100)|];
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M() => await Task.Delay(100);
        }
        """);

    [Fact]
    public Task ThreadSleep_ExpressionBodiedAsyncLambda_Fixes() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Func<Task> F = async () => [|Thread.Sleep(100)|];
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Func<Task> F = async () => await Task.Delay(100);
        }
        """);

    [Fact]
    public Task ThreadSleep_AsyncLocalFunction_UsesLocalFunctionParameterToken() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(CancellationToken outer)
            {
                _ = Run(outer);

                async Task Run(CancellationToken inner)
                {
                    [|Thread.Sleep(100)|];
                    await Task.Yield();
                }
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(CancellationToken outer)
            {
                _ = Run(outer);

                async Task Run(CancellationToken inner)
                {
                    await Task.Delay(100, inner);
                    await Task.Yield();
                }
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_StaticLambda_DoesNotCaptureOuterToken() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(CancellationToken token)
            {
                Func<Task> f = static async () =>
                {
                    [|Thread.Sleep(100)|];
                    await Task.Yield();
                };
            }
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(CancellationToken token)
            {
                Func<Task> f = static async () =>
                {
                    await Task.Delay(100);
                    await Task.Yield();
                };
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_NonAsyncTaskMethod_BecomesAsyncAndReturnsRewritten() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            public Task<int> M(bool quick)
            {
                if (quick)
                    return Task.FromResult(1);
                [|Thread.Sleep(100)|];
                return Task.FromResult(2);
            }

            Task N()
            {
                [|Thread.Sleep(100)|];
                return Task.CompletedTask;
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            public async Task<int> M(bool quick)
            {
                if (quick)
                    return 1;
                await Task.Delay(100);
                return 2;
            }

            async Task N()
            {
                await Task.Delay(100);
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_NonAsyncTaskLambda_BecomesAsync() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Func<ValueTask> F = () =>
            {
                [|Thread.Sleep(100)|];
                return default;
            };
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Func<ValueTask> F = async () =>
            {
                await Task.Delay(100);
            };
        }
        """);

    [Fact]
    public Task ThreadSleep_NonAsyncTaskMethodReturningOtherTask_NoFix()
    {
        const string source = """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                Task M(Task other)
                {
                    [|Thread.Sleep(100)|];
                    return other;
                }
            }
            """;
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public Task ThreadSleep_InsideLock_ReportsWithoutFix()
    {
        const string source = """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                private readonly object _gate = new();

                async Task M()
                {
                    await Task.Yield();
                    lock (_gate)
                    {
                        [|Thread.Sleep(100)|];
                    }
                }
            }
            """;
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public Task ThreadSleep_OutParameterTaskMethod_NoFix()
    {
        const string source = """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                Task M(out int x)
                {
                    x = 1;
                    [|Thread.Sleep(100)|];
                    return Task.CompletedTask;
                }
            }
            """;
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public Task ThreadSleep_AsyncIterator_Reports() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async IAsyncEnumerable<int> M()
            {
                [|Thread.Sleep(100)|];
                yield return 1;
                await Task.Yield();
            }
        }
        """,
        """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async IAsyncEnumerable<int> M()
            {
                await Task.Delay(100);
                yield return 1;
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_TopLevelStatementsWithAwait_Reports() => new Verify.Test
    {
        OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication,
        TestCode = """
            using System.Threading;
            using System.Threading.Tasks;

            [|Thread.Sleep(100)|];
            await Task.Yield();
            """,
        FixedCode = """
            using System.Threading;
            using System.Threading.Tasks;

            await Task.Delay(100);
            await Task.Yield();
            """,
    }.RunAsync();

    [Fact]
    public Task ThreadSleep_TwoInOneDocument_FixAllMatchesOneByOne() => new Verify.Test
    {
        TestCode = """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                Task A()
                {
                    [|Thread.Sleep(1)|];
                    [|Thread.Sleep(2)|];
                    return Task.CompletedTask;
                }

                async Task B(CancellationToken ct)
                {
                    [|Thread.Sleep(3)|];
                    await Task.Yield();
                }
            }
            """,
        FixedCode = """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task A()
                {
                    await Task.Delay(1);
                    await Task.Delay(2);
                }

                async Task B(CancellationToken ct)
                {
                    await Task.Delay(3, ct);
                    await Task.Yield();
                }
            }
            """,
        NumberOfIncrementalIterations = 3,
        NumberOfFixAllIterations = 1,
    }.RunAsync();

    // ---- silent twins ----

    [Fact]
    public Task ThreadSleep_InSyncMethod_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;

        class C
        {
            void M() => Thread.Sleep(100);
            int P { get { Thread.Sleep(1); return 1; } }
        }
        """);

    [Fact]
    public Task ThreadSleep_InSyncLambdaInsideAsyncMethod_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                await Task.Run(() => Thread.Sleep(100));
                Action a = delegate { Thread.Sleep(1); };
                a();
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_InSyncLocalFunctionInsideAsyncMethod_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                Pause();
                await Task.Yield();

                static void Pause() => Thread.Sleep(100);
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_InSyncLambdaOrLocalFunction_Variants_DoNotReport_AsyncOnesInsideDo() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                // sync lambdas with a block body, nested in an async lambda, and a sync local function with a block body
                await Task.Run(() => { Thread.Sleep(1); });
                Func<Task> outer = async () =>
                {
                    Action inner = () => Thread.Sleep(2);
                    inner();
                    await Task.Yield();
                };
                await outer();
                Pause();

                void Pause()
                {
                    Thread.Sleep(3);
                }

                // the other way round: an async lambda inside a sync one is async code
                Action fire = () =>
                {
                    Func<Task> work = async () => { [|Thread.Sleep(4)|]; await Task.Yield(); };
                    _ = work();
                };
                fire();

                async Task Later()
                {
                    [|Thread.Sleep(5)|];
                    await Task.Yield();
                }

                await Later();
            }
        }
        """);

    [Fact]
    public Task ThreadSleepZero_IsAYield_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                Thread.Sleep(0);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task OtherSleepMethod_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class Thread { public static void Sleep(int ms) { } }

        class C
        {
            async Task M()
            {
                Thread.Sleep(100);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_TopLevelStatementsWithoutAwait_DoesNotReport() => new Verify.Test
    {
        OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication,
        TestCode = """
            using System.Threading;

            Thread.Sleep(100);
            """,
    }.RunAsync();

    [Fact]
    public Task ThreadSleep_SeverityNoneInEditorConfig_DoesNotReport() => new Verify.Test
    {
        EditorConfig = "dotnet_diagnostic.AGD0001.severity = none",
        TestCode = """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M() { Thread.Sleep(100); await Task.Yield(); }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task ThreadSleep_HalfTypedCode_ReportsNothingAndDoesNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                Thread.{|CS1501:Sleep|}();
                Thread.{|CS0117:Sleeep|}(1);
                await Task.Yield();
            }
        }
        """);
}
