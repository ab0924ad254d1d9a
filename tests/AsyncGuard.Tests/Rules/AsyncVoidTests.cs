using System.Threading.Tasks;
using Verify = AsyncGuard.Tests.Verifiers.CSharpCodeFixVerifier<AsyncGuard.Rules.AsyncVoidAnalyzer, AsyncGuard.CodeFixes.Rules.AsyncVoidCodeFixProvider>;

namespace AsyncGuard.Tests.Rules;

/// <summary>AGD0012: async void methods and local functions.</summary>
public sealed class AsyncVoidTests
{
    [Fact]
    public Task AsyncVoidMethod_ReportsWithName() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async void {|#0:LoadAsync|}() => await Task.Yield();
        }
        """,
        Verify.Diagnostic("AGD0012").WithLocation(0).WithArguments("LoadAsync", "return 'Task' instead"));

    [Fact]
    public Task AsyncVoidMethod_UsedAsDelegateInAnotherFile_ReportsWithoutFix()
    {
        const string declaration = """
            using System.Threading.Tasks;

            public class Worker
            {
                public async void [|Work|]() => await Task.Yield();
            }
            """;
        const string use = """
            using System;

            class Wiring
            {
                Action Hook(Worker w) => w.Work;
            }
            """;
        var test = new Verify.Test { TestState = { Sources = { declaration, use } } };
        test.FixedState.Sources.Add(declaration);
        test.FixedState.Sources.Add(use);
        test.FixedState.MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow;
        return test.RunAsync();
    }

    [Fact]
    public Task AsyncVoidMethod_CalledFromAnotherFile_ReturnsTask_SyncCallerUnchanged() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                """
                using System.Threading.Tasks;

                public class Worker
                {
                    public async void [|Work|]() => await Task.Yield();
                }
                """,
                """
                class Caller
                {
                    void Start(Worker w) => w.Work();
                }
                """,
            },
        },
        FixedState =
        {
            Sources =
            {
                """
                using System.Threading.Tasks;

                public class Worker
                {
                    public async Task Work() => await Task.Yield();
                }
                """,
                """
                class Caller
                {
                    void Start(Worker w) => w.Work();
                }
                """,
            },
        },
    }.RunAsync();

    [Fact]
    public Task AsyncVoidMethod_ChangesToTaskAndAwaitsCallsInAsyncCallers() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            // refreshes the cache
            private async void [|Refresh|](int n)
            {
                await Task.Delay(n);
            }

            async Task CallerAsync()
            {
                Refresh(1); // kick it
                await Task.Yield();
            }

            void SyncCaller() => Refresh(2);
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            // refreshes the cache
            private async Task Refresh(int n)
            {
                await Task.Delay(n);
            }

            async Task CallerAsync()
            {
                await Refresh(1); // kick it
                await Task.Yield();
            }

            void SyncCaller() => Refresh(2);
        }
        """);

    [Fact]
    public Task AsyncVoid_MethodAndLocalFunction_FixAll() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            public async void [|Start|]() { await Task.Yield(); }

            async Task Run()
            {
                async void [|Step|]() => await Task.Yield();
                Step();
                Start();
                await Task.Yield();
            }
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            public async Task Start() { await Task.Yield(); }

            async Task Run()
            {
                async Task Step() => await Task.Yield();
                await Step();
                await Start();
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task AsyncVoid_NoTasksImport_QualifiesTask() => Verify.VerifyCodeFixAsync(
        """
        class C
        {
            async void [|M|]() => await System.Threading.Tasks.Task.Yield();
        }
        """,
        """
        class C
        {
            async System.Threading.Tasks.Task M() => await System.Threading.Tasks.Task.Yield();
        }
        """);

    [Fact]
    public Task AsyncVoid_UsedAsActionOrTimerCallback_ReportsWithoutFix() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async void [|Tick|](object? state) => await Task.Yield();
            async void [|Work|]() => await Task.Yield();

            void Wire()
            {
                var timer = new Timer(Tick);
                Action a = Work;
            }
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async void [|Tick|](object? state) => await Task.Yield();
            async void [|Work|]() => await Task.Yield();

            void Wire()
            {
                var timer = new Timer(Tick);
                Action a = Work;
            }
        }
        """);

    [Fact]
    public Task AsyncVoidLocalFunction_UsedAsAction_ReportsWithoutFix_UnusedOneIsFixed() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            void Wire()
            {
                async void [|Work|]() => await Task.Yield();
                Action a = Work;
                async void [|Other|]() => await Task.Yield();
                Other();
            }
        }
        """,
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            void Wire()
            {
                async void [|Work|]() => await Task.Yield();
                Action a = Work;
                async Task Other() => await Task.Yield();
                Other();
            }
        }
        """);

    [Fact]
    public Task AsyncVoid_VirtualMethod_ReportsWithoutFix() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            protected virtual async void [|OnLoaded|]() => await Task.Yield();
        }
        """,
        """
        using System.Threading.Tasks;

        class C
        {
            protected virtual async void [|OnLoaded|]() => await Task.Yield();
        }
        """);

    [Fact]
    public Task EventHandlers_ShapeAndSubscription_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class RoutedEventArgs { }

        class Button
        {
            public event EventHandler? Click;
            public event Action? Tapped;
        }

        class C
        {
            async void OnClick(object? sender, EventArgs e) => await Task.Yield();
            async void OnRouted(object sender, RoutedEventArgs e) => await Task.Yield();
            async void OnTapped() => await Task.Yield();

            void Wire(Button button)
            {
                button.Click += OnClick;
                button.Tapped += OnTapped;
                async void Local() => await Task.Yield();
                button.Tapped += Local;
                button.Tapped -= new Action(OnTapped);
            }
        }
        """);

    [Fact]
    public Task OverridesAndInterfaceImplementations_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        abstract class Page { protected abstract void OnAppearing(); }

        interface IExplicit { void Run(); }

        class View : Page, System.IDisposable, IExplicit
        {
            protected override async void OnAppearing() => await Task.Yield();
            public async void Dispose() => await Task.Yield();
            async void IExplicit.Run() => await Task.Yield();
        }
        """);

    // jellyfin's timer callbacks: where every await that can fail sits in a try that catches every
    // exception, the callback is as safe as a plain void one. A callback with an await outside such
    // a try is reported, with the advice that fits a void delegate.
    [Fact]
    public Task VoidDelegateCallback_GuardingEveryAwait_DoesNotReport_UnguardedAwaitReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Notifier
        {
            private Timer? _timer;
            private Timer? _other;
            private Timer? _third;

            void Start()
            {
                _timer = new Timer(Flush);
                _other = new Timer(FlushThenClean);
                _third = new Timer(Send);
                _timer = new Timer(CheckSessions);
            }

            private static Task SendAsync() => Task.CompletedTask;

            private async void Flush(object? state)
            {
                await Task.Delay(100);
                try
                {
                    await SendAsync();
                }
                catch (Exception ex)
                {
                    Console.Error.WriteLine(ex);
                }
            }

            // jellyfin's SessionManager: each await guarded inside a loop, then a plain return.
            private async void CheckSessions(object? state)
            {
                foreach (var name in new[] { "a", "b" })
                {
                    try
                    {
                        await SendAsync();
                    }
                    catch
                    {
                    }
                }

                return;
            }

            private async void {|#0:FlushThenClean|}(object? state)
            {
                try
                {
                    await SendAsync();
                }
                catch (Exception ex)
                {
                    Console.Error.WriteLine(ex);
                }

                await SendAsync();
            }

            private async void {|#1:Send|}(object? state) => await SendAsync();
        }
        """,
        Verify.Diagnostic("AGD0012").WithLocation(0).WithArguments("FlushThenClean", "it is passed where a void delegate is expected, so catch its exceptions inside it"),
        Verify.Diagnostic("AGD0012").WithLocation(1).WithArguments("Send", "it is passed where a void delegate is expected, so catch its exceptions inside it"));

    // jellyfin's StartupTrigger and LibraryMonitor implement interfaces of another project of the
    // solution. A build sees that project as a DLL, the IDE as source: both must treat it as fixed
    // elsewhere (silent), while an interface of the same project is reported.
    [Fact]
    public Task ImplementationOfInterfaceFromAnotherProject_DoesNotReport_SameProjectReports()
    {
        const string code = """
                using System.Threading.Tasks;
                using Contracts;

                interface ILocalTrigger { void Start(); }

                class StartupTrigger : ITrigger
                {
                    public async void Start() => await Task.Delay(1);
                }

                class LocalTrigger : ILocalTrigger
                {
                    public async void {|#0:Start|}() => await Task.Delay(1);
                }
                """;
        var test = new Verify.Test { TestCode = code, FixedCode = code };
        test.TestState.AdditionalProjects["Contracts"].Sources.Add("namespace Contracts { public interface ITrigger { void Start(); } }");
        test.TestState.AdditionalProjectReferences.Add("Contracts");
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("AGD0012").WithLocation(0).WithArguments("Start", "return 'Task' instead"));
        test.FixedState.AdditionalProjects["Contracts"].Sources.Add("namespace Contracts { public interface ITrigger { void Start(); } }");
        test.FixedState.AdditionalProjectReferences.Add("Contracts");
        test.FixedState.ExpectedDiagnostics.Add(Verify.Diagnostic("AGD0012").WithLocation(0).WithArguments("Start", "return 'Task' instead"));
        return test.RunAsync();
    }

    [Fact]
    public Task ImplementationOfInterfaceDeclaredInSource_ReportsWithoutFix() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        interface ICommandLike { void Execute(object? parameter); }

        class View : ICommandLike
        {
            public async void {|AGD0012:Execute|}(object? parameter) => await Task.Yield();
        }
        """,
        """
        using System.Threading.Tasks;

        interface ICommandLike { void Execute(object? parameter); }

        class View : ICommandLike
        {
            public async void {|AGD0012:Execute|}(object? parameter) => await Task.Yield();
        }
        """);

    [Fact]
    public Task AsyncTaskAndSyncVoid_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task A() => await Task.Yield();
            void B() { }
            async ValueTask V() => await Task.Yield();
        }
        """);

    [Fact]
    public Task HalfTypedCode_DoesNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async void [|M|]({|CS0246:Missing|} x) { await Task.Yield(); {|CS0103:Gone|} += M; }
            async void [|N|]() { await {|CS0103:Unknown|}; }
        }
        """);
}
