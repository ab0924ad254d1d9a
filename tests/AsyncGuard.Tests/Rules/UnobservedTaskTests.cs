using System.Threading.Tasks;
using AsyncGuard.CodeFixes.Rules;
using Microsoft.CodeAnalysis;
using Verify = AsyncGuard.Tests.Verifiers.CSharpCodeFixVerifier<AsyncGuard.Rules.UnobservedTaskAnalyzer, AsyncGuard.CodeFixes.Rules.UnobservedTaskCodeFixProvider>;

namespace AsyncGuard.Tests.Rules;

/// <summary>AGD0010 (task dropped as a statement) and AGD0011 (task left in a local nobody reads).</summary>
public sealed class UnobservedTaskTests
{
    private const string Helpers = """

        static class Work
        {
            public static Task SaveAsync() => Task.CompletedTask;
            public static Task<int> CountAsync() => Task.FromResult(1);
            public static ValueTask FlushAsync() => default;
        }
        """;

    // Prefixed to an expected source equal to the input: an unused location label makes the two
    // strings differ, so the verifier applies the chosen action (none here) instead of
    // asserting that no action at all is offered; the other fix stays available.
    private const string Unchanged = "{|#99:|}";

    // ---- AGD0010: reported ----

    [Fact]
    public Task TaskRun_InSyncMethod_ReportsWithMessage() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                {|#0:Task.Run(() => { })|};
            }
        }
        """,
        Verify.Diagnostic("AGD0010").WithLocation(0).WithArguments("Task.Run"));

    [Fact]
    public Task TaskCalls_InConstructorSetterAndSyncLambda_Report() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            C() { {|AGD0010:Work.SaveAsync()|}; }

            int P { set { {|AGD0010:Work.FlushAsync()|}; } }

            Action A => () => {|AGD0010:Work.SaveAsync()|};

            void Factory() => {|AGD0010:Task.Factory.StartNew(() => 1)|};

            void Chain(Task t) { {|AGD0010:t.ContinueWith(_ => 1)|}; }
        }
        """ + Helpers);

    [Fact]
    public Task DelegateInvocationAndConfiguredAwaitable_InSyncMethod_Report() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            void M(Func<Task> send)
            {
                {|#0:send()|};
                {|#1:Work.SaveAsync().ConfigureAwait(false)|};
            }
        }
        """ + Helpers,
        Verify.Diagnostic("AGD0010").WithLocation(0).WithArguments("send"),
        Verify.Diagnostic("AGD0010").WithLocation(1).WithArguments("Work.SaveAsync"));

    [Fact]
    public Task ConditionalAccessAndNewTask_InAsyncMethod_ReportWhereCs4014DoesNot() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class Client { public Task SendAsync() => Task.CompletedTask; }

        class C
        {
            Client? client;

            async Task M()
            {
                {|#0:client?.SendAsync()|};
                {|#1:new Task(() => { })|};
                await Task.Yield();
            }
        }
        """,
        Verify.Diagnostic("AGD0010").WithLocation(0).WithArguments("Client.SendAsync"),
        Verify.Diagnostic("AGD0010").WithLocation(1).WithArguments("new Task"));

    [Fact]
    public Task CustomAwaitable_InSyncMethod_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Runtime.CompilerServices;

        class Op
        {
            public Awaiter GetAwaiter() => new Awaiter();
            public sealed class Awaiter : INotifyCompletion
            {
                public bool IsCompleted => true;
                public void GetResult() { }
                public void OnCompleted(Action continuation) => continuation();
            }
        }

        class C
        {
            Op Start() => new Op();
            void M() { {|AGD0010:Start()|}; }
        }
        """);

    [Fact]
    public Task GetAwaiterWithoutINotifyCompletion_IsNotAwaitable_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class Query
        {
            // Has IsCompleted and GetResult, but the awaiter is not an INotifyCompletion: 'await' does not compile.
            public Awaiter GetAwaiter() => new Awaiter();
            public sealed class Awaiter
            {
                public bool IsCompleted => true;
                public int GetResult() => 0;
            }
        }

        class C
        {
            Query Start() => new Query();
            void M() { Start(); }
            Query Run() => Start();
        }
        """);

    [Fact]
    public Task EventHandler_SyncLambda_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            event EventHandler? Changed;

            void Wire() => Changed += (s, e) => {|AGD0010:Work.SaveAsync()|};
        }
        """ + Helpers);

    [Fact]
    public Task TopLevelStatements_WithoutAwait_Report() => new Verify.Test
    {
        OutputKind = OutputKind.ConsoleApplication,
        TestCode = """
            using System.Threading.Tasks;

            {|AGD0010:Task.Run(() => { })|};
            """,
    }.RunAsync();

    [Fact]
    public Task SyncLocalFunctionInsideAsyncMethod_ReportsWhatCs4014Misses() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task RunAsync()
            {
                Inner();
                await Task.Yield();

                void Inner() { {|AGD0010:Work.SaveAsync()|}; }
            }
        }
        """ + Helpers);

    [Fact]
    public Task SyncClickHandlerNavigating_DiscardFix() => new Verify.Test
    {
        CodeActionEquivalenceKey = UnobservedTaskCodeFixProvider.DiscardEquivalenceKey,
        TestCode = """
            using System;
            using System.Threading.Tasks;

            class Navigator { public Task PushAsync(object page) => Task.CompletedTask; }

            class Page
            {
                readonly Navigator navigation = new();

                void OnNextClicked(object sender, EventArgs e)
                {
                    {|AGD0010:navigation.PushAsync(new object())|};
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Threading.Tasks;

            class Navigator { public Task PushAsync(object page) => Task.CompletedTask; }

            class Page
            {
                readonly Navigator navigation = new();

                void OnNextClicked(object sender, EventArgs e)
                {
                    _ = navigation.PushAsync(new object());
                }
            }
            """,
    }.RunAsync();

    // ---- AGD0010: silent ----

    [Fact]
    public Task InvocationInAsyncFunctions_LeftToCs4014_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Func<Task> send)
            {
                #pragma warning disable CS4014
                Work.SaveAsync();
                send();
                Func<Task> f = async () => { Work.SaveAsync(); await Task.Yield(); };
                #pragma warning restore CS4014
                await f();
            }
        }
        """ + Helpers);

    [Fact]
    public Task TopLevelStatements_WithAwait_LeftToCs4014_DoesNotReport() => new Verify.Test
    {
        OutputKind = OutputKind.ConsoleApplication,
        TestCode = """
            using System.Threading.Tasks;

            #pragma warning disable CS4014
            Task.Run(() => { });
            #pragma warning restore CS4014
            await Task.Yield();
            """,
    }.RunAsync();

    [Fact]
    public Task ObservedTasks_DiscardReturnAssignPassAwait_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            Task? field;
            List<Task> all = new();

            Task Return() => Work.SaveAsync();
            Task ReturnBlock() { return Work.SaveAsync(); }
            void Discard() { _ = Work.SaveAsync(); }
            void Assign() { field = Work.SaveAsync(); }
            void Pass() { all.Add(Work.SaveAsync()); }
            async Task Await() { await Work.SaveAsync(); await Work.FlushAsync(); }
            void Sync() { Work.SaveAsync().Wait(); }
        }
        """ + Helpers);

    [Fact]
    public Task GenericReturnOfStoredTask_InterlockedAndGetOrAdd_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Task current = Task.CompletedTask;
            readonly ConcurrentDictionary<string, Task> loads = new();
            readonly ConcurrentQueue<Task> queue = new();

            void M(string key)
            {
                Interlocked.Exchange(ref current, Work.SaveAsync());
                loads.GetOrAdd(key, _ => Work.SaveAsync());
                queue.TryDequeue(out _);
            }
        }
        """ + Helpers);

    [Fact]
    public Task ContinueWith_ObservingTheFault_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            void M(Task t)
            {
                t.ContinueWith(x => Console.WriteLine(x.Exception), TaskContinuationOptions.OnlyOnFaulted);
                t.ContinueWith(x => { if (x.IsFaulted) Console.WriteLine("failed"); });
            }
        }
        """);

    [Fact]
    public Task DefaultForgetHelpers_ReturningTask_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        static class TaskExtensions
        {
            public static Task FireAndForget(this Task task) => task;
            public static Task Forget(this Task task) => task;
        }

        class C
        {
            void M()
            {
                Work.SaveAsync().FireAndForget();
                Work.SaveAsync().Forget();
            }
        }
        """ + Helpers);

    [Fact]
    public Task ForgetMethodsOption_NamesAndQualifiedNames_DoNotReport() => new Verify.Test
    {
        EditorConfig = "asyncguard.AGD0010.forget_methods = Spawn, Background.Launch, Tools.Jobs.Enqueue",
        TestCode = """
            using System.Threading.Tasks;

            namespace Tools
            {
                static class Background
                {
                    public static Task Spawn() => Task.CompletedTask;
                    public static Task Launch() => Task.CompletedTask;
                    public static Task Other() => Task.CompletedTask;
                }

                static class Jobs { public static Task Enqueue() => Task.CompletedTask; }

                class C
                {
                    void M()
                    {
                        Background.Spawn();
                        Background.Launch();
                        Jobs.Enqueue();
                        {|AGD0010:Background.Other()|};
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task MockVerification_NSubstituteShapes_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        public interface ISender { Task SendAsync(); }

        static class Substitute
        {
            public static T Received<T>(this T mock) => mock;
            public static Configurator<T> When<T>(this T mock, Action<T> call) => new Configurator<T>();
        }

        class Configurator<T> { public void Do(Action<T> action) { } }

        class Tests
        {
            void Verify(ISender sender)
            {
                sender.Received().SendAsync();
                sender.When(x => x.SendAsync()).Do(_ => { });
            }
        }
        """);

    [Fact]
    public Task HalfTypedCode_DoesNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                {|CS0103:Missing|}();
                Task.{|CS0117:Nope|}();
                var t = {|CS0103:Unknown|}();
                {|CS0103:Start|}({|CS1026:|}{|CS1002:|}
            }
        }
        """);

    // ---- AGD0010: fixes ----

    [Fact]
    public Task Discard_InSyncMethod_AddsDiscardKeepingComments() => new Verify.Test
    {
        CodeActionEquivalenceKey = UnobservedTaskCodeFixProvider.DiscardEquivalenceKey,
        TestCode = """
            using System.Threading.Tasks;

            class C
            {
                void M()
                {
                    // start the save
                    {|AGD0010:Work.SaveAsync()|}; // fire it
                }
            }
            """ + Helpers,
        FixedCode = """
            using System.Threading.Tasks;

            class C
            {
                void M()
                {
                    // start the save
                    _ = Work.SaveAsync(); // fire it
                }
            }
            """ + Helpers,
    }.RunAsync();

    [Fact]
    public Task Discard_ExpressionBodiedMemberAndLambda_FixAll() => new Verify.Test
    {
        CodeActionEquivalenceKey = UnobservedTaskCodeFixProvider.DiscardEquivalenceKey,
        TestCode = """
            using System;
            using System.Threading.Tasks;

            class C
            {
                void M() => {|AGD0010:Work.SaveAsync()|};
                Action A => () => {|AGD0010:Work.FlushAsync()|};
                void N() { {|AGD0010:Task.Run(() => { })|}; {|AGD0010:Work.CountAsync()|}; }
            }
            """ + Helpers,
        FixedCode = """
            using System;
            using System.Threading.Tasks;

            class C
            {
                void M() => _ = Work.SaveAsync();
                Action A => () => _ = Work.FlushAsync();
                void N() { _ = Task.Run(() => { }); _ = Work.CountAsync(); }
            }
            """ + Helpers,
    }.RunAsync();

    [Fact]
    public Task Discard_VariableNamedUnderscoreInScope_NotOffered() => new Verify.Test
    {
        CodeActionEquivalenceKey = UnobservedTaskCodeFixProvider.DiscardEquivalenceKey,
        TestCode = """
            using System.Threading.Tasks;

            class C
            {
                void M(int _)
                {
                    {|AGD0010:Work.SaveAsync()|};
                }
            }
            """ + Helpers,
        FixedCode = """
            using System.Threading.Tasks;

            class C
            {
                void M(int _)
                {
                    {|AGD0010:Work.SaveAsync()|};
                }
            }
            """ + Helpers,
    }.RunAsync();

    [Fact]
    public Task Await_TaskReturningSyncMethod_MakesItAsync() => new Verify.Test
    {
        CodeActionEquivalenceKey = UnobservedTaskCodeFixProvider.AwaitEquivalenceKey,
        TestCode = """
            using System.Threading.Tasks;

            class C
            {
                public Task<int> M()
                {
                    {|AGD0010:Work.SaveAsync()|}; // save first
                    return Task.FromResult(42);
                }
            }
            """ + Helpers,
        FixedCode = """
            using System.Threading.Tasks;

            class C
            {
                public async Task<int> M()
                {
                    await Work.SaveAsync(); // save first
                    return 42;
                }
            }
            """ + Helpers,
    }.RunAsync();

    [Fact]
    public Task Await_TwoInSameTaskMethod_SecondIsLeftToCs4014OnceAsync_FixAllAwaitsBoth() => new Verify.Test
    {
        CodeActionEquivalenceKey = UnobservedTaskCodeFixProvider.AwaitEquivalenceKey,
        TestCode = """
            using System.Threading.Tasks;

            class C
            {
                Task M()
                {
                    {|AGD0010:Work.SaveAsync()|};
                    {|AGD0010:Work.FlushAsync()|};
                    return Task.CompletedTask;
                }
            }
            """ + Helpers,
        FixedCode = """
            using System.Threading.Tasks;

            class C
            {
                async Task M()
                {
                    await Work.SaveAsync();
                    Work.FlushAsync();
                }
            }
            """ + Helpers,
        // Fix All fixes both findings of the original document in one pass.
        BatchFixedCode = """
            using System.Threading.Tasks;

            class C
            {
                async Task M()
                {
                    await Work.SaveAsync();
                    await Work.FlushAsync();
                }
            }
            """ + Helpers,
    }.RunAsync();

    [Fact]
    public Task Await_ConditionalAccessInAsyncMethod_AwaitsCompletedTaskWhenNull() => new Verify.Test
    {
        CodeActionEquivalenceKey = UnobservedTaskCodeFixProvider.AwaitEquivalenceKey,
        TestCode = """
            using System.Threading.Tasks;

            class Client { public Task SendAsync() => Task.CompletedTask; }

            class C
            {
                async Task M(Client? client)
                {
                    {|AGD0010:client?.SendAsync()|};
                    await Task.Yield();
                }
            }
            """,
        FixedCode = """
            using System.Threading.Tasks;

            class Client { public Task SendAsync() => Task.CompletedTask; }

            class C
            {
                async Task M(Client? client)
                {
                    await (client?.SendAsync() ?? Task.CompletedTask);
                    await Task.Yield();
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Await_LibraryFileUsesConfigureAwaitFalse_AddsIt() => new Verify.Test
    {
        CodeActionEquivalenceKey = UnobservedTaskCodeFixProvider.AwaitEquivalenceKey,
        TestCode = """
            using System.Threading.Tasks;

            class C
            {
                async Task A() => await Work.SaveAsync().ConfigureAwait(false);

                Task M()
                {
                    {|AGD0010:Work.SaveAsync()|};
                    return Task.CompletedTask;
                }
            }
            """ + Helpers,
        FixedCode = """
            using System.Threading.Tasks;

            class C
            {
                async Task A() => await Work.SaveAsync().ConfigureAwait(false);

                async Task M()
                {
                    await Work.SaveAsync().ConfigureAwait(false);
                }
            }
            """ + Helpers,
    }.RunAsync();

    [Fact]
    public Task Await_TopLevelStatementsWithoutAwait_MakesEntryPointAsync() => new Verify.Test
    {
        OutputKind = OutputKind.ConsoleApplication,
        CodeActionEquivalenceKey = UnobservedTaskCodeFixProvider.AwaitEquivalenceKey,
        TestCode = """
            using System.Threading.Tasks;

            {|AGD0010:Task.Run(() => { })|};
            """,
        FixedCode = """
            using System.Threading.Tasks;

            await Task.Run(() => { });
            """,
    }.RunAsync();

    [Fact]
    public Task Await_VoidMethodConstructorAndNewTask_NotOffered() => new Verify.Test
    {
        CodeActionEquivalenceKey = UnobservedTaskCodeFixProvider.AwaitEquivalenceKey,
        TestCode = """
            using System.Threading.Tasks;

            class C
            {
                C() { {|AGD0010:Work.SaveAsync()|}; }
                public void M() { {|AGD0010:Work.SaveAsync()|}; }
                async Task N() { {|AGD0010:new Task(() => { })|}; await Task.Yield(); }
                Task L(object gate) { lock (gate) { {|AGD0010:Work.SaveAsync()|}; } return Task.CompletedTask; }
            }
            """ + Helpers,
        FixedCode = Unchanged + """
            using System.Threading.Tasks;

            class C
            {
                C() { {|AGD0010:Work.SaveAsync()|}; }
                public void M() { {|AGD0010:Work.SaveAsync()|}; }
                async Task N() { {|AGD0010:new Task(() => { })|}; await Task.Yield(); }
                Task L(object gate) { lock (gate) { {|AGD0010:Work.SaveAsync()|}; } return Task.CompletedTask; }
            }
            """ + Helpers,
    }.RunAsync();

    [Fact]
    public Task Await_TaskMethodReturningOtherTask_NotOffered() => new Verify.Test
    {
        CodeActionEquivalenceKey = UnobservedTaskCodeFixProvider.AwaitEquivalenceKey,
        TestCode = """
            using System.Threading.Tasks;

            class C
            {
                Task M()
                {
                    {|AGD0010:Work.SaveAsync()|};
                    return Work.FlushAsync().AsTask();
                }
            }
            """ + Helpers,
        FixedCode = Unchanged + """
            using System.Threading.Tasks;

            class C
            {
                Task M()
                {
                    {|AGD0010:Work.SaveAsync()|};
                    return Work.FlushAsync().AsTask();
                }
            }
            """ + Helpers,
    }.RunAsync();

    // ---- AGD0011 ----

    [Fact]
    public Task Local_NeverRead_ReportsWithName() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                var {|#0:pending|} = Work.SaveAsync();
                using var {|#1:run|} = Task.Run(() => { });
            }
        }
        """ + Helpers,
        Verify.Diagnostic("AGD0011").WithLocation(0).WithArguments("pending"),
        Verify.Diagnostic("AGD0011").WithLocation(1).WithArguments("run"));

    [Fact]
    public Task Local_ObservedOrEscaping_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            Task? field;

            async Task<int> M(List<Task> all)
            {
                var awaited = Work.SaveAsync();
                await awaited;
                var returned = Work.CountAsync();
                var passed = Work.SaveAsync();
                all.Add(passed);
                var stored = Work.SaveAsync();
                field = stored;
                var queried = Work.SaveAsync();
                if (queried.IsCompleted) { }
                var captured = Work.SaveAsync();
                Func<Task> later = () => captured;
                var byRef = Work.SaveAsync();
                Touch(ref byRef);
                var _ = Work.SaveAsync();
                Task notCreatedHere = all[0];
                return await returned;
            }

            static void Touch(ref Task t) { }
        }
        """ + Helpers);

    [Fact]
    public Task AwaitLocal_InAsyncMethod_AwaitsBeforeClosingReturn() => new Verify.Test
    {
        TestCode = """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M()
                {
                    var {|AGD0011:save|} = Work.SaveAsync();
                    var {|AGD0011:flush|} = Work.FlushAsync();
                    var n = await Work.CountAsync();
                    return n;
                }
            }
            """ + Helpers,
        FixedCode = """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M()
                {
                    var save = Work.SaveAsync();
                    var flush = Work.FlushAsync();
                    var n = await Work.CountAsync();
                    await save;
                    await flush;
                    return n;
                }
            }
            """ + Helpers,
        NumberOfIncrementalIterations = 2,
        NumberOfFixAllIterations = 1,
    }.RunAsync();

    [Fact]
    public Task AwaitLocal_InSyncMethod_NotOffered() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                var {|AGD0011:save|} = Work.SaveAsync();
            }
        }
        """ + Helpers,
        """
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                var {|AGD0011:save|} = Work.SaveAsync();
            }
        }
        """ + Helpers);

    // ---- another analyzer's finding already answered (issue 13, seen on real code) ----

    [Fact]
    public Task DroppedTask_UnderPragmaDisableOfPeerRule_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            Task UnsubscribeAsync() => Task.CompletedTask;

            void Dispose()
            {
        #pragma warning disable CA2012
        #pragma warning disable VSTHRD110
                UnsubscribeAsync();
        #pragma warning restore VSTHRD110
        #pragma warning restore CA2012
                {|AGD0010:UnsubscribeAsync()|};
        #pragma warning disable MA0134
                Task.Run(() => { });
        #pragma warning restore MA0134
        #pragma warning disable CS0618
                {|AGD0010:Task.Run(() => { })|};
        #pragma warning restore CS0618
            }
        }
        """);
}
