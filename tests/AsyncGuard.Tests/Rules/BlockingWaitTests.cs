using System.Threading.Tasks;
using Verify = AsyncGuard.Tests.Verifiers.CSharpCodeFixVerifier<AsyncGuard.Rules.BlockingWaitAnalyzer, AsyncGuard.CodeFixes.Rules.BlockingWaitCodeFixProvider>;

namespace AsyncGuard.Tests.Rules;

/// <summary>AGD0003 (blocking wait on a task in async code) and AGD0004 (in synchronous code).</summary>
public sealed class BlockingWaitTests
{
    #region AGD0003: .Result and GetAwaiter().GetResult() become await

    [Fact]
    public Task Result_InAsyncMethod_ReportsWithMessageAndFixesToAwait() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> load)
            {
                await Task.Yield();
                // keep me
                var value = load.{|#0:Result|}; // trailing
                return value;
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0003").WithLocation(0).WithArguments("Task<T>.Result", "await") },
        """
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> load)
            {
                await Task.Yield();
                // keep me
                var value = await load; // trailing
                return value;
            }
        }
        """);

    [Fact]
    public Task Result_MemberAccessOnResult_ParenthesizesAwait() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<string> text, Task<string> other)
            {
                await Task.Yield();
                return text.{|AGD0003:Result|}.Length + other.{|AGD0003:Result|}.Trim().Length;
            }
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<string> text, Task<string> other)
            {
                await Task.Yield();
                return (await text).Length + (await other).Trim().Length;
            }
        }
        """);

    [Fact]
    public Task GetAwaiterGetResult_InAsyncMethod_FixesToAwait() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            static Task<int> Load() => Task.Run(() => 1);

            async Task<int> M()
            {
                var a = Load().{|AGD0003:GetAwaiter().GetResult()|};
                var b = Load().ConfigureAwait(false).{|AGD0003:GetAwaiter().GetResult()|};
                await Task.Yield();
                return a + b;
            }
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            static Task<int> Load() => Task.Run(() => 1);

            async Task<int> M()
            {
                var a = await Load();
                var b = await Load().ConfigureAwait(false);
                await Task.Yield();
                return a + b;
            }
        }
        """);

    #endregion

    #region AGD0003: Wait, WaitAll and WaitAny

    [Fact]
    public Task Wait_InAsyncMethod_FixesToAwaitStatement() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task work)
            {
                work.{|#0:Wait()|};
                await Task.Yield();
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0003").WithLocation(0).WithArguments("Task.Wait", "await") },
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task work)
            {
                await work;
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task WaitWithToken_InAsyncMethod_FixesToWaitAsync() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task work, CancellationToken token)
            {
                work.{|AGD0003:Wait(token)|};
                await Task.Yield();
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task work, CancellationToken token)
            {
                await work.WaitAsync(token);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task WaitWithTimeout_BoolUnused_FixesToWaitAsync() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task work, CancellationToken token)
            {
                work.{|AGD0003:Wait(TimeSpan.FromSeconds(5))|};
                work.{|AGD0003:Wait(250, token)|};
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
            async Task M(Task work, CancellationToken token)
            {
                await work.WaitAsync(TimeSpan.FromSeconds(5));
                await work.WaitAsync(TimeSpan.FromMilliseconds(250), token);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task WaitWithTimeout_BoolUsed_ReportsWithoutFix()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;

            class C
            {
                async Task<bool> M(Task work)
                {
                    await Task.Yield();
                    return work.{|AGD0003:Wait(TimeSpan.FromSeconds(5))|};
                }
            }
            """;
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public Task WaitAll_Statement_FixesToWhenAll() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task a, Task b, Task[] more)
            {
                {|#0:Task.WaitAll(a, b)|};
                {|AGD0003:Task.WaitAll(more)|};
                await Task.Yield();
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0003").WithLocation(0).WithArguments("Task.WaitAll", "await Task.WhenAll") },
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task a, Task b, Task[] more)
            {
                await Task.WhenAll(a, b);
                await Task.WhenAll(more);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task WaitAny_ResultUnused_FixesToWhenAny() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task a, Task b)
            {
                {|AGD0003:Task.WaitAny(a, b)|};
                await Task.Yield();
            }
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task a, Task b)
            {
                await Task.WhenAny(a, b);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task WaitAny_IndexUsed_ReportsWithoutFix()
    {
        const string source = """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task a, Task b)
                {
                    await Task.Yield();
                    return {|AGD0003:Task.WaitAny(a, b)|};
                }
            }
            """;
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public Task WaitAllWithTimeout_ReportsWithoutFix()
    {
        const string source = """
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task[] tasks)
                {
                    {|AGD0003:Task.WaitAll(tasks, 1000)|};
                    await Task.Yield();
                }
            }
            """;
        return Verify.VerifyCodeFixAsync(source, source);
    }

    #endregion

    #region AGD0003: the enclosing function, and shapes with no fix

    [Fact]
    public Task ValueTaskResult_InAsyncMethod_FixesToAwait() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            static ValueTask<int> Read() => new ValueTask<int>(Task.Run(() => 1));

            async Task<int> M()
            {
                await Task.Yield();
                var vt = Read();
                return vt.{|AGD0003:Result|} + Read().{|AGD0003:GetAwaiter().GetResult()|};
            }
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            static ValueTask<int> Read() => new ValueTask<int>(Task.Run(() => 1));

            async Task<int> M()
            {
                await Task.Yield();
                var vt = Read();
                return await vt + await Read();
            }
        }
        """);

    [Fact]
    public Task Result_ConfigureAwaitFalseFile_KeepsStyle() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> load, Task work)
            {
                await Task.Delay(1).ConfigureAwait(false);
                work.{|AGD0003:Wait()|};
                return load.{|AGD0003:Result|};
            }
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> load, Task work)
            {
                await Task.Delay(1).ConfigureAwait(false);
                await work.ConfigureAwait(false);
                return await load.ConfigureAwait(false);
            }
        }
        """);

    [Fact]
    public Task Result_NonAsyncTaskMethod_BecomesAsync() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            Task<int> M(Task<int> load)
            {
                var value = load.{|AGD0003:Result|};
                return Task.FromResult(value + 1);
            }

            Task<int> N(Task<int> load) { return Task.FromResult(load.{|AGD0003:Result|}); }
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> load)
            {
                var value = await load;
                return value + 1;
            }

            async Task<int> N(Task<int> load) { return await load; }
        }
        """);

    [Fact]
    public Task Result_NonAsyncTaskMethodReturningOtherTask_NoFix()
    {
        const string source = """
            using System.Threading.Tasks;

            class C
            {
                Task M(Task<int> load, Task other)
                {
                    System.Console.WriteLine(load.{|AGD0003:Result|});
                    return other;
                }
            }
            """;
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public Task Result_InsideLock_ReportsWithoutFix()
    {
        const string source = """
            using System.Threading.Tasks;

            class C
            {
                private readonly object _gate = new();

                async Task<int> M(Task<int> load)
                {
                    await Task.Yield();
                    lock (_gate)
                    {
                        return load.{|AGD0003:Result|};
                    }
                }
            }
            """;
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public Task Result_InQueryClause_ReportsWithoutFix()
    {
        const string source = """
            using System.Linq;
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int>[] loads)
                {
                    await Task.Yield();
                    var q = from l in loads select l.{|AGD0004:Result|};
                    return q.Sum();
                }
            }
            """;
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public Task Result_ConditionalAccess_ReportsWithoutFix()
    {
        const string source = """
            using System.Threading.Tasks;

            class C
            {
                async Task<int?> M(Task<int>? load)
                {
                    await Task.Yield();
                    return load?.{|AGD0003:Result|};
                }
            }
            """;
        return Verify.VerifyCodeFixAsync(source, source);
    }

    #endregion

    #region AGD0003: Fix All and other async contexts

    [Fact]
    public Task ManyShapesInOneDocument_FixAllMatchesOneByOne() => new Verify.Test
    {
        TestCode = """
            using System.Threading.Tasks;

            class C
            {
                Task A(Task<int> x, Task y)
                {
                    System.Console.WriteLine(x.{|AGD0003:Result|});
                    y.{|AGD0003:Wait()|};
                    return Task.CompletedTask;
                }

                async Task B(Task p, Task q, Task<string> s)
                {
                    {|AGD0003:Task.WaitAll(p, q)|};
                    var n = s.{|AGD0003:GetAwaiter().GetResult()|}.Length;
                    await Task.Yield();
                }
            }
            """,
        FixedCode = """
            using System.Threading.Tasks;

            class C
            {
                async Task A(Task<int> x, Task y)
                {
                    System.Console.WriteLine(await x);
                    await y;
                }

                async Task B(Task p, Task q, Task<string> s)
                {
                    await Task.WhenAll(p, q);
                    var n = (await s).Length;
                    await Task.Yield();
                }
            }
            """,
        NumberOfIncrementalIterations = 4,
        NumberOfFixAllIterations = 1,
    }.RunAsync();

    [Fact]
    public Task Result_AsyncLambdaAndTopLevel_Reports() => new Verify.Test
    {
        OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication,
        TestCode = """
            using System;
            using System.Threading.Tasks;

            Func<Task<int>, Task<int>> f = async t => t.{|AGD0003:Result|} + await t;
            var n = Task.Run(() => 1).{|AGD0003:Result|};
            await Task.Yield();
            Console.WriteLine(n + f(Task.FromResult(1)).{|AGD0003:Result|});
            """,
        FixedCode = """
            using System;
            using System.Threading.Tasks;

            Func<Task<int>, Task<int>> f = async t => await t + await t;
            var n = await Task.Run(() => 1);
            await Task.Yield();
            Console.WriteLine(n + await f(Task.FromResult(1)));
            """,
    }.RunAsync();

    #endregion

    #region AGD0004: blocking waits in sync code (no fix)

    [Fact]
    public Task BlockingWaits_InSyncMethod_ReportAGD0004WithoutFix()
    {
        const string source = """
            using System.Threading.Tasks;

            class C
            {
                int M(Task<int> load, Task work, Task[] all)
                {
                    work.{|#0:Wait()|};
                    {|AGD0004:Task.WaitAll(all)|};
                    {|AGD0004:Task.WaitAny(all)|};
                    return load.{|AGD0004:GetAwaiter().GetResult()|} + Other(load);
                }

                int Other(Task<int> t) => t.{|AGD0004:Result|};
            }
            """;
        return new Verify.Test
        {
            TestCode = source,
            FixedCode = source,
            ExpectedDiagnostics = { Verify.Diagnostic("AGD0004").WithLocation(0).WithArguments("Task.Wait", "await") },
        }.RunAsync();
    }

    [Fact]
    public Task Result_SyncMain_ReportsAGD0004() => new Verify.Test
    {
        OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication,
        TestCode = """
            using System.Threading.Tasks;

            static class Program
            {
                static Task<int> RunAsync() => Task.Run(() => 0);

                static int Main() => RunAsync().{|AGD0004:GetAwaiter().GetResult()|};
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Result_SyncLambdaInsideAsyncMethod_ReportsAGD0004() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> load)
            {
                return await Task.Run(() => load.{|AGD0004:Result|});
            }
        }
        """);

    #endregion

    #region Silent: the task is provably complete (awaited, WhenAll, WhenAny)

    [Fact]
    public Task Result_AfterAwaitOfSameTask_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            private readonly Task<int> _init = Task.Run(() => 1);

            async Task<int> M(Task<int> parameter)
            {
                var local = Task.Run(() => 2);
                await local;
                await parameter.ConfigureAwait(false);
                await _init;
                return local.Result + parameter.Result + _init.GetAwaiter().GetResult() + this._init.Result;
            }
        }
        """);

    [Fact]
    public Task Result_AwaitOnlyInBranchOrAfter_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> t, bool b)
            {
                if (b) await t;
                var x = t.{|AGD0003:Result|};
                await t;
                return x;
            }

            async Task<int> N(Task<int> t, Task<int> other)
            {
                await t;
                t = other;
                return t.{|AGD0003:Result|};
            }

            async Task<int> L(Task<int>[] ts)
            {
                foreach (var t in ts) { await t; }
                return ts[0].{|AGD0003:Result|};
            }
        }
        """);

    [Fact]
    public Task Result_AfterAwaitedWhenAll_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> a, Task<int> b, List<Task<int>> many, Task<int>[] array)
            {
                await Task.WhenAll(a, b);
                await Task.WhenAll(many);
                await Task.WhenAll(array).ConfigureAwait(false);
                var sum = many.Select(t => t.Result).Sum() + array[0].Result;
                foreach (var t in many) sum += t.Result;
                return sum + a.Result + b.GetAwaiter().GetResult();
            }

            async Task<int> N(Task<int> a, Task<int> b)
            {
                var both = Task.WhenAll(a, b);
                await both;
                return a.Result + b.Result;
            }
        }
        """);

    [Fact]
    public Task Result_OfTaskReturnedByAwaitedWhenAny_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> a, Task<int> b)
            {
                var first = await Task.WhenAny(a, b);
                return first.Result;
            }

            async Task<int> WithTimeout(Task<int> work)
            {
                if (await Task.WhenAny(work, Task.Delay(1000)) == work)
                    return work.Result;
                throw new TimeoutException();
            }

            async Task<int> Guarded(Task<int> work)
            {
                if (await Task.WhenAny(work, Task.Delay(1000)) != work) throw new TimeoutException();
                return work.Result;
            }
        }
        """);

    #endregion

    #region Completion checks, guards, assertions, and what is not completion

    [Fact]
    public Task Result_AfterRefOutOrDeconstructionAssignment_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            static void Reload(ref Task<int> t) => t = Task.Run(() => 2);
            static bool TryStart(out Task<int> t) { t = Task.Run(() => 3); return true; }
            static (Task<int>, Task<int>) Pair() => (Task.Run(() => 4), Task.Run(() => 5));

            async Task<int> M(Task<int> a, Task<int> b, Task<int> c)
            {
                await Task.WhenAll(a, b, c);
                var before = a.Result + b.Result + c.Result;
                Reload(ref a);
                TryStart(out b);
                (c, _) = Pair();
                return before + a.{|AGD0003:Result|} + b.{|AGD0003:Result|} + c.{|AGD0003:Result|};
            }
        }
        """);

    [Fact]
    public Task Result_AfterByValueArgumentOrReadOfAwaitedTask_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            static void Log(Task<int> t) { }
            static void Peek(in Task<int> t) { }

            async Task<int> M(Task<int> a, Task<int> b)
            {
                await Task.WhenAll(a, b);
                Log(a);
                Peek(in b);
                var (x, y) = (a.Result, b.Result);
                return x + y + a.Result + b.Result;
            }
        }
        """);

    [Fact]
    public Task Result_InsideCompletionCheck_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            int M(Task<int> t, ValueTask<int> vt)
            {
                if (t.IsCompleted) return t.Result;
                if (t.IsCompletedSuccessfully && vt.IsCompleted) return t.Result + vt.Result;
                if (t.Status == TaskStatus.RanToCompletion) return t.GetAwaiter().GetResult();
                if (TaskStatus.RanToCompletion == t.Status) t.Wait();
                var x = t.IsCompleted ? t.Result : 0;
                var y = t.IsCompleted && t.Result > 0;
                var z = !t.IsCompleted || t.Result > 0;
                if (!t.IsCompleted) { return 0; } else { return t.Result; }
            }

            int Guard(Task<int> t)
            {
                if (!t.IsCompleted) return -1;
                return t.Result;
            }

            int TimedOut(Task<int> t)
            {
                if (t.{|AGD0004:Wait(100)|}) return t.Result;
                return -1;
            }

            int NotChecked(Task<int> t)
            {
                if (t.IsCompleted) { }
                return t.{|AGD0004:Result|};
            }
        }
        """);

    [Fact]
    public Task Result_AfterGuardThatLeaves_Variants_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            int Braces(Task<int> t)
            {
                if (!t.IsCompleted) { return -1; }
                return t.Result;
            }

            int Throws(Task<int> t)
            {
                if (!t.IsCompleted) throw new InvalidOperationException("not done");
                return t.Result;
            }

            int InLoop(Task<int>[] tasks)
            {
                var sum = 0;
                foreach (var t in tasks)
                {
                    if (!t.IsCompleted) continue;
                    sum += t.Result;
                }

                return sum;
            }

            Func<Task<int>, int> InLambda() => t =>
            {
                if (!t.IsCompleted) return -1;
                return t.Result;
            };

            int InLocalFunction(Task<int> t)
            {
                return Read(t);

                static int Read(Task<int> task)
                {
                    if (!task.IsCompleted) return -1;
                    return task.Result;
                }
            }
        }
        """);

    [Fact]
    public Task Result_AfterGuardThatDoesNotLeave_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            void Log() { }

            int Braces(Task<int> t)
            {
                if (!t.IsCompleted) { Log(); }
                return t.{|AGD0004:Result|};
            }

            int NoBraces(Task<int> t)
            {
                if (!t.IsCompleted) Log();
                return t.{|AGD0004:Result|};
            }

            int LeavesOnlySometimes(Task<int> t, bool quick)
            {
                if (!t.IsCompleted) { if (quick) return -1; }
                return t.{|AGD0004:Result|};
            }

            int Leaves(Task<int> t)
            {
                if (!t.IsCompleted) { Log(); return -1; }
                return t.Result;
            }
        }
        """);

    [Fact]
    public Task Result_WhereTimedWaitFailed_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            void Use(int value) { }

            void Negated(Task<int> t)
            {
                if (!t.{|AGD0004:Wait(100)|}) Use(t.{|AGD0004:Result|});
            }

            void ElseOfTimedWait(Task<int> t)
            {
                if (t.{|AGD0004:Wait(100)|}) Use(t.Result);
                else Use(t.{|AGD0004:Result|});
            }

            int GuardOnSuccess(Task<int> t)
            {
                if (t.{|AGD0004:Wait(100)|}) return -1;
                return t.{|AGD0004:Result|};
            }
        }
        """);

    [Fact]
    public Task Result_WhereStatusIsNotFinal_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            int M(Task<int> t)
            {
                if (t.Status == TaskStatus.Running) return t.{|AGD0004:Result|};
                if (t.Status == TaskStatus.WaitingForActivation) return t.{|AGD0004:Result|};
                if (t.Status != TaskStatus.RanToCompletion) return t.{|AGD0004:Result|};
                return t.Result;
            }

            int NotFaulted(Task<int> t)
            {
                if (t.Status == TaskStatus.Faulted) return 0;
                return t.{|AGD0004:Result|};
            }
        }
        """);

    [Fact]
    public Task Result_AfterAssertion_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Diagnostics;
        using System.Threading.Tasks;

        static class Assert
        {
            public static void True(bool condition) { }
            public static void False(bool condition) { }
        }

        class Tests
        {
            void A(Task<int> t)
            {
                Debug.Assert(t.IsCompleted);
                _ = t.Result;
            }

            void B(Task<int> t)
            {
                Assert.True(t.IsCompletedSuccessfully);
                _ = t.Result;
            }

            void C(Task<int> t)
            {
                Assert.False(!t.IsCompleted);
                t.Wait();
            }
        }
        """);

    #endregion

    #region Silent: continuations, completed by construction, probes, options, robustness

    [Fact]
    public Task Result_OnAntecedentInContinueWith_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            Task<int> M(Task<int> t, Task<int> u)
            {
                _ = t.ContinueWith(_ => t.Result);
                _ = Task.WhenAll(t, u).ContinueWith(_ => t.Result + u.Result);
                _ = Task.Factory.ContinueWhenAll(new[] { t, u }, all => all[0].Result + t.Result);
                return t.ContinueWith(antecedent => antecedent.Result + 1);
            }
        }
        """);

    [Fact]
    public Task Result_OnCompletedByConstruction_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M()
            {
                Task.CompletedTask.Wait();
                Task.CompletedTask.GetAwaiter().GetResult();
                var cached = Task.FromResult(2);
                await Task.Yield();
                return Task.FromResult(1).Result + cached.Result + default(ValueTask<int>).Result + new ValueTask<int>(3).Result;
            }
        }
        """);

    [Fact]
    public Task SecondWaitOnSameTask_ReportsOnlyFirst() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            int M(Task<int> t)
            {
                t.{|AGD0004:Wait()|};
                return t.Result + t.Result;
            }
        }
        """);

    [Fact]
    public Task ZeroTimeout_ThroughLocalOrReadonlyField_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            private readonly TimeSpan _probe = TimeSpan.Zero;

            bool M(Task t, Task[] all)
            {
                var none = 0;
                return t.Wait(none) || t.Wait(_probe) || Task.WaitAny(all, none) >= 0;
            }
        }
        """);

    [Fact]
    public Task Timeout_LocalReassigned_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            bool M(Task t, int configured)
            {
                var timeout = 0;
                timeout += configured;
                return t.{|AGD0004:Wait(timeout)|};
            }
        }
        """);

    [Fact]
    public Task ZeroTimeoutProbes_And_NameOf_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            async Task<string> M(Task t, Task[] all)
            {
                var done = t.Wait(0) || t.Wait(TimeSpan.Zero);
                var any = Task.WaitAny(all, 0);
                await Task.Yield();
                return nameof(Task<int>.Result) + done + any;
            }
        }
        """);

    [Fact]
    public Task LookalikeMembers_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Job { public int Result { get; set; } public void Wait() { } }

        class C
        {
            async Task<int> M(Job job, SemaphoreSlim gate, ManualResetEventSlim signal)
            {
                job.Wait();
                await Task.Yield();
                return job.Result;
            }
        }
        """);

    [Fact]
    public Task BlockingWait_SeverityNoneInEditorConfig_DoesNotReport() => new Verify.Test
    {
        EditorConfig = "dotnet_diagnostic.AGD0003.severity = none",
        TestCode = """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> t) { await Task.Yield(); return t.Result; }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task ResultOnWhenAllCall_InSyncCode_ReportsAndDoesNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                var job = Task.Run(async () => { await Task.Yield(); return 0; });
                _ = Task.WhenAll(job).{|AGD0004:Result|};
                _ = job.Result;
            }
        }
        """);

    [Fact]
    public Task BlockingWait_HalfTypedCode_DoesNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> t)
            {
                await Task.Yield();
                var a = t.{|CS1061:Resul|};
                t.{|CS1501:Wait|}(1, 2, 3, 4);
                var b = {|CS0103:missing|}.Result;
                if ({|CS0103:undefined|}.IsCompleted) { }
                return t.{|AGD0003:Result|};
            }
        }
        """);

    #endregion

    #region Completion proven by code the completion facts do not follow (issue 13, 2b)

    // ---- Completion proven by code the completion facts do not follow (issue 13, 2b) ----

    private const string CompletionHelpers = """
        static class TaskHelpers
        {
            public static bool IsCompletedSuccessfully(this Task task) => task.Status == TaskStatus.RanToCompletion;
            public static bool IsReady(this Task task) => task.Status == TaskStatus.RanToCompletion;
            public static Task<T> ForAwait<T>(this Task<T> task) => task;
        }

        sealed class Call
        {
            public Task<int> ResponseTask { get; } = Task.FromResult(1);
        }
        """;

    [Fact]
    public Task Result_GuardedByOwnIsCompletedSuccessfullyExtension_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            private readonly Call _call = new();
            private Task<int> Committed { get; } = Task.FromResult(0);

            int Sync() => Committed.IsCompletedSuccessfully() ? Committed.Result : 0;

            bool Both() => _call.ResponseTask.IsCompletedSuccessfully() && _call.ResponseTask.Result == 1;

            async Task<int> Async()
            {
                await Task.Yield();
                if (_call.ResponseTask.IsCompletedSuccessfully())
                {
                    return _call.ResponseTask.Result;
                }

                return 0;
            }
        }

        """ + CompletionHelpers);

    [Fact]
    public Task Result_GuardedByExtensionWithOtherName_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            private Task<int> Committed { get; } = Task.FromResult(0);

            int Sync() => Committed.IsReady() ? Committed.{|AGD0004:Result|} : 0;
        }

        """ + CompletionHelpers);

    [Fact]
    public Task Result_MemberChainStatusChecked_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class DebugView
        {
            private readonly Call _call = new();

            public int? Response => _call.ResponseTask.Status == TaskStatus.RanToCompletion ? _call.ResponseTask.Result : null;
        }

        """ + CompletionHelpers);

    [Fact]
    public Task Result_StatusCheckedOnOtherChain_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class DebugView
        {
            private readonly Call _call = new();
            private readonly Call _other = new();

            public int? Response => _call.ResponseTask.Status == TaskStatus.RanToCompletion ? _other.ResponseTask.{|AGD0004:Result|} : null;
        }

        """ + CompletionHelpers);

    [Fact]
    public Task Result_AfterEarlyExitOnExtensionGuard_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            private readonly Call _call = new();

            int Sync()
            {
                if (!_call.ResponseTask.IsCompletedSuccessfully()) return -1;
                return _call.ResponseTask.Result;
            }
        }

        """ + CompletionHelpers);

    [Fact]
    public Task Result_AfterAwaitThroughOwnWrapper_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            private readonly Call _call = new();

            async Task<int> M()
            {
                await _call.ResponseTask.ForAwait();
                return _call.ResponseTask.Result;
            }
        }

        """ + CompletionHelpers);

    [Fact]
    public Task Result_AfterAwaitOfWhenAnyWithIt_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            private readonly Call _call = new();

            async Task<int> M()
            {
                await Task.WhenAny(_call.ResponseTask, Task.Delay(100));
                return _call.ResponseTask.{|AGD0003:Result|};
            }
        }

        """ + CompletionHelpers);

    [Fact]
    public Task Result_AfterTimedWaitThatThrows_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            private readonly Call _call = new();

            int M()
            {
                if (!_call.ResponseTask.{|AGD0004:Wait(1000)|}) throw new TimeoutException();
                return _call.ResponseTask.Result;
            }
        }

        """ + CompletionHelpers);

    [Fact]
    public Task Result_OnCallResult_GuardDoesNotCount_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            Task<int> Next() => Task.Run(() => 0);

            int M() => Next().IsCompletedSuccessfully() ? Next().{|AGD0004:Result|} : 0;
        }

        """ + CompletionHelpers);

    // grpc-dotnet's ReadOnlySequenceStream caches its last read as 'Task.FromResult(n)' in a private
    // field and compares '_lastReadTask?.Result': the field only ever holds completed tasks. A
    // field that is also given a running task is reported.
    [Fact]
    public Task Result_OnPrivateFieldOnlyGivenCompletedTasks_DoesNotReport_FieldGivenARunningTaskReports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class ReadCache
        {
            private Task<int>? _lastRead;
            private Task<int>? _pending = Task.FromResult(0);

            async Task<int> ReadAsync(int read)
            {
                await Task.Yield();
                if (_lastRead?.Result == read) return read;
                _lastRead = Task.FromResult(read);
                return _pending!.{|AGD0003:Result|};
            }

            void Start() => _pending = Task.Run(() => 1);
        }
        """);

    // A helper of the project whose every return is a completed task (an error task, a cached
    // result): waiting on what it returns does not block. An overridable helper is not proven.
    [Fact]
    public Task Result_OnHelperReturningOnlyCompletedTasks_DoesNotReport_OverridableHelperReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class Parser
        {
            private Task<int> Parse(string text)
            {
                if (text.Length == 0) return Task.FromException<int>(new FormatException());
                return Task.FromResult(text.Length);
            }

            protected virtual Task<int> ParseVirtual(string text) => Task.FromResult(text.Length);

            async Task<int> RunAsync(string text)
            {
                await Task.Yield();
                return Parse(text).Result + ParseVirtual(text).{|AGD0003:Result|};
            }
        }
        """);

    // ---- The sync side of a dual-path API (issue 13, 2a) ----

    [Fact]
    public Task GetResult_OnOwnCoreCalledWithAsyncFalse_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class Reader
        {
            private readonly Stream _stream = Stream.Null;

            public int Read(byte[] buffer) => ReadCore(buffer, async: false).GetAwaiter().GetResult();

            public int ReadPositional(byte[] buffer) => ReadCore(buffer, false).Result;

            public int ReadConfigured(byte[] buffer) => ReadOther(buffer, isAsync: false).ConfigureAwait(false).GetAwaiter().GetResult();

            public Task<int> ReadAsync(byte[] buffer) => ReadCore(buffer, async: true);

            private async Task<int> ReadCore(byte[] buffer, bool async)
                => async ? await _stream.ReadAsync(buffer, 0, buffer.Length) : _stream.Read(buffer, 0, buffer.Length);

            private Task<int> ReadOther(byte[] buffer, bool isAsync) => ReadCore(buffer, isAsync);
        }
        """);

    [Fact]
    public Task GetResult_OnCoreCalledWithAsyncTrueOrOtherFlag_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class Reader
        {
            public int A() => ReadCore(async: true).{|AGD0004:GetAwaiter().GetResult()|};

            public int B() => ReadCore(async: false, verbose: false, cached: false).GetAwaiter().GetResult();

            public int C() => Load(cached: false).{|AGD0004:GetAwaiter().GetResult()|};

            private Task<int> ReadCore(bool async, bool verbose = true, bool cached = true) => Task.Run(() => 1);

            private Task<int> Load(bool cached) => Task.Run(() => 1);
        }
        """);

    // Polly's CircuitStateController and TimeProviderExtensions: a context's IsSynchronous selects
    // the sync path of a pipeline that serves both (also first in an && chain). The other branch,
    // and a flag with another name, still report.
    [Fact]
    public Task Wait_UnderSyncModeMember_DoesNotReport_OtherBranchReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class ResilienceContext { public bool IsSynchronous { get; set; } public bool IsVerbose { get; set; } }

        class Controller
        {
            async Task Delay(ResilienceContext context, TimeSpan delay, Task pending)
            {
                await Task.Yield();
                if (context.IsSynchronous)
                {
                    Task.Delay(delay).GetAwaiter().GetResult();
                    return;
                }

                if (context.IsSynchronous && !pending.IsCompleted) pending.GetAwaiter().GetResult();
                if (!context.IsSynchronous) pending.{|#0:Wait()|};
                if (context.IsVerbose) pending.{|#1:Wait()|};
            }
        }
        """,
        Verify.Diagnostic("AGD0003").WithLocation(0).WithArguments("Task.Wait", "await"),
        Verify.Diagnostic("AGD0003").WithLocation(1).WithArguments("Task.Wait", "await"));

    [Fact]
    public Task Wait_InSyncBranchOfModeFlag_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Flusher
        {
            private readonly bool _useAsync;

            async Task Flush(Task pending, bool async)
            {
                if (async) await pending;
                else pending.Wait();

                if (!async) pending.Wait();
                else await pending;

                if (_useAsync) await pending; else pending.Wait();
            }

            async Task Other(Task pending, bool verbose)
            {
                if (verbose) await pending;
                else pending.{|AGD0003:Wait()|};
            }

            async Task Wrong(Task pending, bool async)
            {
                if (async) pending.{|AGD0003:Wait()|};
                await Task.Yield();
            }
        }
        """);

    #endregion
}
