using System.Threading.Tasks;
using Verify = AsyncGuard.Tests.Verifiers.CSharpCodeFixVerifier<AsyncGuard.Rules.SyncUsingAnalyzer, AsyncGuard.CodeFixes.Rules.SyncUsingCodeFixProvider>;

namespace AsyncGuard.Tests.Rules;

/// <summary>AGD0031: synchronous using of an IAsyncDisposable in async code.</summary>
public sealed class SyncUsingTests
{
    private const string Connection = """

        sealed class Connection : System.IDisposable, System.IAsyncDisposable
        {
            public Task SendAsync(string s) => Task.CompletedTask;
            public void Dispose() { }
            public ValueTask DisposeAsync() => default;
        }
        """;

    [Fact]
    public Task UsingStatement_InAsyncMethod_ReportsAndFixes() => Verify.VerifyCodeFixAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task M(string path)
            {
                // the writer flushes on dispose
                {|#0:using|} (var writer = new StreamWriter(path))
                {
                    await writer.WriteLineAsync("x");
                }
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0031").WithLocation(0).WithArguments("StreamWriter") },
        """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task M(string path)
            {
                // the writer flushes on dispose
                await using (var writer = new StreamWriter(path))
                {
                    await writer.WriteLineAsync("x");
                }
            }
        }
        """);

    [Fact]
    public Task UsingDeclarations_FixAll() => Verify.VerifyCodeFixAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task<long> M(string path)
            {
                [|using|] var stream = File.OpenRead(path); // source
                [|using|] FileStream copy = File.Create(path + ".bak");
                await stream.CopyToAsync(copy);
                return copy.Length;
            }
        }
        """ + Connection,
        """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task<long> M(string path)
            {
                await using var stream = File.OpenRead(path); // source
                await using FileStream copy = File.Create(path + ".bak");
                await stream.CopyToAsync(copy);
                return copy.Length;
            }
        }
        """ + Connection);

    [Fact]
    public Task NonAsyncTaskMethod_BecomesAsync() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            public Task<int> M(Connection c)
            {
                [|using|] (c)
                {
                    c.SendAsync("bye");
                }

                return Task.FromResult(1);
            }
        }
        """ + Connection,
        """
        using System.Threading.Tasks;

        class C
        {
            public async Task<int> M(Connection c)
            {
                await using (c)
                {
                    c.SendAsync("bye");
                }

                return 1;
            }
        }
        """ + Connection);

    [Fact]
    public Task NonAsyncMethodReturningOtherTask_ReportsWithoutFix() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            public Task M(Connection c, Task next)
            {
                [|using|] (c) { }
                return next;
            }
        }
        """ + Connection,
        """
        using System.Threading.Tasks;

        class C
        {
            public Task M(Connection c, Task next)
            {
                [|using|] (c) { }
                return next;
            }
        }
        """ + Connection);

    [Fact]
    public Task ConfigureAwaitFile_ConfiguresWhereMeaningIsKept() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M(Connection c, Connection d)
            {
                [|using|] (c)
                {
                    await c.SendAsync("a").ConfigureAwait(false);
                }

                [|using|] var scope = new Connection();
                [|using|] var used = new Connection();
                await used.SendAsync("b").ConfigureAwait(false);
            }
        }
        """ + Connection,
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M(Connection c, Connection d)
            {
                await using (c.ConfigureAwait(false))
                {
                    await c.SendAsync("a").ConfigureAwait(false);
                }

                await using var scope = new Connection().ConfigureAwait(false);
                await using var used = new Connection();
                await used.SendAsync("b").ConfigureAwait(false);
            }
        }
        """ + Connection);

    [Fact]
    public Task AsyncLambdaAndLocalFunction_Report() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                Func<Task> f = async () =>
                {
                    [|using|] var c = new Connection();
                    await c.SendAsync("x");
                };

                async Task Local()
                {
                    [|using|] var c = new Connection();
                    await c.SendAsync("y");
                }
            }
        }
        """ + Connection,
        """
        using System;
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                Func<Task> f = async () =>
                {
                    await using var c = new Connection();
                    await c.SendAsync("x");
                };

                async Task Local()
                {
                    await using var c = new Connection();
                    await c.SendAsync("y");
                }
            }
        }
        """ + Connection);

    [Fact]
    public Task SynchronousDisposeWrappers_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task<string> M(Stream body, System.Data.Common.DbConnection connection)
            {
                using (connection) { }
                using var memory = new MemoryStream();
                using var text = new StringWriter();
                using (var reader = new StreamReader(memory))
                using (Stream s = body)
                {
                    await memory.WriteAsync(new byte[1]);
                    return await reader.ReadToEndAsync() + text;
                }
            }
        }
        """);

    [Fact]
    public Task DisposableOnlyAndAwaitUsing_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(SemaphoreSlim gate)
            {
                using var cts = new CancellationTokenSource();
                await using var c = new Connection();
                await using (var d = new Connection()) { }
                await gate.WaitAsync(cts.Token);
            }
        }
        """ + Connection);

    [Fact]
    public Task PatternDisposeAsync_WithoutIAsyncDisposable_ReportsAndFixes() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        sealed class Session : System.IDisposable
        {
            public void Dispose() { }
            public ValueTask DisposeAsync() => default;
        }

        class C
        {
            async Task M()
            {
                {|#0:using|} var s = new Session();
                await Task.Yield();
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0031").WithLocation(0).WithArguments("Session") },
        """
        using System.Threading.Tasks;

        sealed class Session : System.IDisposable
        {
            public void Dispose() { }
            public ValueTask DisposeAsync() => default;
        }

        class C
        {
            async Task M()
            {
                await using var s = new Session();
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task DisposeAsyncThatIsNotThePattern_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        sealed class Session : System.IDisposable
        {
            public void Dispose() { }
            public ValueTask DisposeAsync(bool flush) => default;
            private ValueTask DisposeAsync() => default;
        }

        class C
        {
            async Task M()
            {
                using var s = new Session();
                await Task.Yield();
            }
        }
        """);

    private const string Scopes = """

        namespace Services
        {
            public interface IScope : System.IDisposable { object Resolve(); }
            public struct AsyncScope : IScope, System.IAsyncDisposable
            {
                public object Resolve() => new object();
                public void Dispose() { }
                public ValueTask DisposeAsync() => default;
            }

            public interface IProvider { }
            public static class ProviderExtensions
            {
                public static IScope CreateScope(this IProvider provider) => new AsyncScope();
                public static AsyncScope CreateAsyncScope(this IProvider provider) => new AsyncScope();
                public static IScope OpenScope(this IProvider provider) => new AsyncScope();
                public static System.Threading.Tasks.Task<AsyncScope> OpenAsyncScope(this IProvider provider) => default!;
            }
        }
        """;

    [Fact]
    public Task FactoryWithAsyncDisposableSibling_ReportsAndCallsIt() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;
        using Services;

        class C
        {
            async Task<object> M(IProvider provider)
            {
                {|#0:using|} var scope = provider.CreateScope();
                await Task.Yield();
                return scope.Resolve();
            }
        }
        """ + Scopes,
        new[] { Verify.Diagnostic("AGD0031").WithLocation(0).WithArguments("AsyncScope") },
        """
        using System.Threading.Tasks;
        using Services;

        class C
        {
            async Task<object> M(IProvider provider)
            {
                await using var scope = provider.CreateAsyncScope();
                await Task.Yield();
                return scope.Resolve();
            }
        }
        """ + Scopes);

    [Fact]
    public Task FactoryWithoutAsyncDisposableSibling_OrTypedLocal_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;
        using Services;

        class C
        {
            async Task M(IProvider provider)
            {
                using var opened = provider.OpenScope();
                using IScope typed = provider.CreateScope();
                await Task.Yield();
            }
        }
        """ + Scopes);

    [Fact]
    public Task SynchronousCode_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                using var c = new Connection();
                Task.Run(() =>
                {
                    using var d = new Connection();
                });
            }

            async Task N(object gate)
            {
                await Task.Yield();
                lock (gate)
                {
                    using var e = new Connection();
                }
            }
        }
        """ + Connection);

    [Fact]
    public Task EditorConfigListsType_DoesNotReport() => new Verify.Test
    {
        TestCode = """
            using System.Threading.Tasks;

            class C
            {
                async Task M()
                {
                    using var c = new Connection();
                    await c.SendAsync("x");
                }
            }
            """ + Connection,
        EditorConfig = "asyncguard.AGD0031.synchronous_dispose_types = Other.Type, Connection",
    }.RunAsync();

    [Fact]
    public Task HalfTypedCode_DoesNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                using var a = new {|CS0246:Missing|}();
                using ({|CS0103:nothing|}) { }
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task CancellationTokenRegistration_SynchronousDispose_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken cancellationToken, Action onCancel)
            {
                using var registration = cancellationToken.Register(onCancel);
                using (cancellationToken.Register(onCancel))
                {
                    await Task.Delay(1, cancellationToken);
                }
            }
        }
        """);
}
