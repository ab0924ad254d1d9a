using System.Threading.Tasks;
using Verify = AsyncGuard.Tests.Verifiers.CSharpAnalyzerVerifier<AsyncGuard.Rules.TokenNeverObservedAnalyzer>;

namespace AsyncGuard.Tests.Rules;

/// <summary>AGD0024: an async method that accepts a cancellation token and never reads it.</summary>
public sealed class TokenNeverObservedTests
{
    [Fact]
    public Task AsyncMethod_TokenNeverRead_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            public async Task<string> LoadAsync(string path, CancellationToken {|#0:cancellationToken|})
            {
                using var reader = new StreamReader(path);
                return await reader.ReadToEndAsync();
            }
        }
        """,
        Verify.Diagnostic("AGD0024").WithLocation(0).WithArguments("LoadAsync", "cancellationToken"));

    [Fact]
    public Task TaskReturningMethod_OptionalAndNullableTokens_Report() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            public Task SaveAsync(string key, CancellationToken [|ct|] = default)
            {
                var copy = key.Trim();
                return Task.Delay(copy.Length);
            }

            public async ValueTask<int> CountAsync(CancellationToken? [|token|] = null)
            {
                await Task.Yield();
                return 1;
            }
        }
        """);

    [Fact]
    public Task AsyncMethod_TwoTokens_ReportsOnlyTheUnusedOne() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken used, CancellationToken [|unused|])
            {
                await Task.Delay(1, used);
            }
        }
        """);

    [Fact]
    public Task AsyncIterator_TokenNeverRead_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async IAsyncEnumerable<int> Items([EnumeratorCancellation] CancellationToken [|ct|] = default)
            {
                await Task.Yield();
                yield return 1;
            }
        }
        """);

    // ---- every kind of read counts ----

    [Fact]
    public Task Token_PassedCheckedRegisteredCapturedOrAssigned_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private CancellationToken _saved;

            async Task Passed(CancellationToken ct) => await Task.Delay(1, ct);

            async Task Checked(CancellationToken ct)
            {
                if (ct.IsCancellationRequested) return;
                await Task.Yield();
            }

            async Task Thrown(CancellationToken ct)
            {
                ct.ThrowIfCancellationRequested();
                await Task.Yield();
            }

            async Task Registered(CancellationToken ct, TaskCompletionSource<int> tcs)
            {
                using var r = ct.Register(() => tcs.TrySetCanceled());
                await tcs.Task;
            }

            async Task CapturedByLambda(CancellationToken ct)
            {
                Func<Task> work = () => Task.Delay(1, ct);
                await work();
            }

            async Task CapturedByLocalFunction(CancellationToken ct)
            {
                await Run();

                Task Run() => Task.Delay(1, ct);
            }

            async Task Stored(CancellationToken ct)
            {
                _saved = ct;
                await Task.Yield();
            }

            async Task Overwritten(CancellationToken ct)
            {
                ct = CancellationToken.None;
                await Task.Yield();
            }
        }
        """);

    // ---- signatures that someone else dictates ----

    [Fact]
    public Task OverridesAndInterfaceImplementations_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        interface IHandler
        {
            Task HandleAsync(string message, CancellationToken cancellationToken);
        }

        interface IStore
        {
            Task SaveAsync(CancellationToken ct);
        }

        abstract class Base
        {
            public abstract Task RunAsync(CancellationToken ct);
            public virtual async Task StopAsync(CancellationToken ct) => await Task.Yield();
        }

        class Implicit : Base, IHandler
        {
            public async Task HandleAsync(string message, CancellationToken cancellationToken) => await Task.Delay(message.Length);
            public override async Task RunAsync(CancellationToken ct) => await Task.Yield();
        }

        class Explicit : IStore
        {
            async Task IStore.SaveAsync(CancellationToken ct) => await Task.Yield();
        }
        """);

    [Fact]
    public Task InheritedInterfaceImplementation_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        interface IJob { Task ExecuteAsync(CancellationToken token); }

        class Job : IJob
        {
            public async Task ExecuteAsync(CancellationToken token) => await Task.Yield();
        }

        class Derived : Job, IJob
        {
        }
        """);

    // ---- bodies with nothing to cancel ----

    [Fact]
    public Task StubBodies_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Task Throws(CancellationToken ct) => throw new NotSupportedException();
            Task ThrowsInBlock(CancellationToken ct) { throw new NotImplementedException(); }
            Task Completed(CancellationToken ct) => Task.CompletedTask;
            Task<int> FromResult(CancellationToken ct) { return Task.FromResult(1); }
            ValueTask Default(CancellationToken ct) => default;
            ValueTask<int> NewValueTask(CancellationToken ct) => new ValueTask<int>(1);
            Task Failed(CancellationToken ct) => Task.FromException(new InvalidOperationException());
            #pragma warning disable CS1998
            async Task Empty(CancellationToken ct) { }
            #pragma warning restore CS1998
        }
        """);

    [Fact]
    public Task ProviderBaseWithSyncFallback_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        abstract class Command
        {
            public abstract int Execute();

            // The base offers a sync fallback that derived providers replace: its token is for them.
            public virtual Task<int> ExecuteAsync(CancellationToken cancellationToken) => Task.FromResult(Execute());
        }

        sealed class Handler
        {
            // A shim whose body is only a completed task has nothing to cancel.
            public Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(0);
        }
        """);

    [Fact]
    public Task WorkerLoopThatChecksTheToken_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        sealed class Poller
        {
            public async Task RunAsync(Func<Task> poll, CancellationToken stoppingToken)
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    await poll();
                    await Task.Delay(TimeSpan.FromSeconds(5));
                }
            }
        }
        """);

    [Fact]
    public Task DiscardNamedAndSyncMethods_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task Discard(CancellationToken _) => await Task.Yield();
            async Task Discards(int x, CancellationToken __) => await Task.Delay(x);
            void Sync(CancellationToken ct) { }
            int Value(CancellationToken ct) => 1;
            Func<CancellationToken, Task> Lambda = async ct => await Task.Yield();
        }
        """);

    [Fact]
    public Task PartialAndExternDeclarations_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Runtime.InteropServices;
        using System.Threading;
        using System.Threading.Tasks;

        partial class C
        {
            partial void OnStarting(CancellationToken ct);
            public partial Task StartAsync(CancellationToken ct);
        }

        partial class C
        {
            public partial async Task StartAsync(CancellationToken ct) => await Task.Delay(1, ct);
        }
        """);

    [Fact]
    public Task Token_SeverityNoneInEditorConfig_DoesNotReport() => new Verify.Test
    {
        EditorConfig = "dotnet_diagnostic.AGD0024.severity = none",
        TestCode = """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(CancellationToken ct) => await Task.Yield();
            }
            """,
    }.RunAsync();

    [Fact]
    public Task HalfTypedCode_DoesNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken [|ct|], {|CS0246:Missing|} other)
            {
                await {|CS0103:Unknown|}();
            }

            async Task N({|CS0246:CancellationTokn|} ct) => await Task.Yield();
        }
        """);
}
