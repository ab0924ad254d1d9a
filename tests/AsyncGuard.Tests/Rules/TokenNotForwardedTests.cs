using System.Threading.Tasks;
using AsyncGuard.CodeFixes.Rules;
using AsyncGuard.Rules;
using Verify = AsyncGuard.Tests.Verifiers.CSharpCodeFixVerifier<
    AsyncGuard.Rules.TokenNotForwardedAnalyzer,
    AsyncGuard.CodeFixes.Rules.TokenNotForwardedCodeFixProvider>;

namespace AsyncGuard.Tests.Rules;

/// <summary>AGD0023: a call that could take the cancellation token in scope but does not get it.</summary>
public sealed class TokenNotForwardedTests
{
    #region Token sources: parameter, local, source, field, property

    [Fact]
    public Task TaskDelay_ParameterToken_ReportsAndPassesIt() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken cancellationToken)
            {
                await {|#0:Task.Delay(100)|};
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0023").WithLocation(0).WithArguments("Task.Delay", "cancellationToken") },
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken cancellationToken)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
        """);

    [Fact]
    public Task Call_TokenIsFirstParameter_Reports() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct, int delay)
            {
                await [|Task.Delay(delay)|];
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct, int delay)
            {
                await Task.Delay(delay, ct);
            }
        }
        """);

    [Fact]
    public Task Call_NullableTokenParameter_PassesValueOrDefault() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken? token = null)
            {
                await {|#0:Task.Delay(100)|};
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0023").WithLocation(0).WithArguments("Task.Delay", "token.GetValueOrDefault()") },
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken? token = null)
            {
                await Task.Delay(100, token.GetValueOrDefault());
            }
        }
        """);

    [Fact]
    public Task Call_LocalToken_PassesLocal() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly CancellationTokenSource _source = new();

            async Task M()
            {
                var token = _source.Token;
                await [|Task.Delay(100)|];
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly CancellationTokenSource _source = new();

            async Task M()
            {
                var token = _source.Token;
                await Task.Delay(100, token);
            }
        }
        """);

    [Fact]
    public Task Call_TokenSourceLocal_PassesItsToken() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await {|#0:Task.Delay(100)|};
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0023").WithLocation(0).WithArguments("Task.Delay", "cts.Token") },
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await Task.Delay(100, cts.Token);
            }
        }
        """);

    [Fact]
    public Task Call_FieldAndPropertyTokens_PassesMember() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly CancellationTokenSource _shutdown = new();

            async Task M()
            {
                await [|Task.Delay(100)|];
            }
        }

        class D
        {
            public CancellationToken Stopping { get; set; }

            Task M() => [|Task.Delay(100)|];
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly CancellationTokenSource _shutdown = new();

            async Task M()
            {
                await Task.Delay(100, _shutdown.Token);
            }
        }

        class D
        {
            public CancellationToken Stopping { get; set; }

            Task M() => Task.Delay(100, Stopping);
        }
        """);

    [Fact]
    public Task Call_SeveralTokensInScope_PrefersParameterAndNamesIt() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly CancellationToken _field;

            async Task M(CancellationTokenSource other, CancellationToken requestAborted)
            {
                var local = other.Token;
                await {|#0:Task.Delay(100)|};
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0023").WithLocation(0).WithArguments("Task.Delay", "requestAborted") },
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly CancellationToken _field;

            async Task M(CancellationTokenSource other, CancellationToken requestAborted)
            {
                var local = other.Token;
                await Task.Delay(100, requestAborted);
            }
        }
        """);

    #endregion

    #region CancellationToken.None or default passed

    [Fact]
    public Task Call_NoneOrDefaultPassed_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Stream stream, byte[] buffer, CancellationToken ct)
            {
                await Task.Delay(1, CancellationToken.None);
                await stream.ReadAsync(buffer, 0, buffer.Length, default);
                await stream.FlushAsync(default(CancellationToken));
                await stream.WriteAsync(buffer, 0, 1, cancellationToken: new CancellationToken());
            }
        }
        """);

    [Fact]
    public Task Call_NoneOrDefaultPassed_ReportExplicitNoneOn_ReplacesArgument() => new Verify.Test
    {
        EditorConfig = "asyncguard.AGD0023.report_explicit_none = true",
        TestCode = """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(Stream stream, byte[] buffer, CancellationToken ct)
                {
                    await Task.Delay(1, {|#0:CancellationToken.None|});
                    await stream.ReadAsync(buffer, 0, buffer.Length, {|#1:default|});
                    await stream.FlushAsync({|#2:default(CancellationToken)|});
                    await stream.WriteAsync(buffer, 0, 1, cancellationToken: {|#3:new CancellationToken()|});
                }
            }
            """,
        ExpectedDiagnostics =
        {
            Verify.Diagnostic("AGD0023").WithLocation(0).WithArguments("Task.Delay", "ct"),
            Verify.Diagnostic("AGD0023").WithLocation(1).WithArguments("Stream.ReadAsync", "ct"),
            Verify.Diagnostic("AGD0023").WithLocation(2).WithArguments("Stream.FlushAsync", "ct"),
            Verify.Diagnostic("AGD0023").WithLocation(3).WithArguments("Stream.WriteAsync", "ct"),
        },
        FixedCode = """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(Stream stream, byte[] buffer, CancellationToken ct)
                {
                    await Task.Delay(1, ct);
                    await stream.ReadAsync(buffer, 0, buffer.Length, ct);
                    await stream.FlushAsync(ct);
                    await stream.WriteAsync(buffer, 0, 1, cancellationToken: ct);
                }
            }
            """,
    }.RunAsync();

    #endregion

    #region Argument shapes: optional, named, overloads, Fix All, comments

    [Fact]
    public Task Call_OptionalTokenParameterOmitted_AddsPositionally() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Api
        {
            public Task<int> GetAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(key.Length);
        }

        class C
        {
            async Task<int> M(Api api, CancellationToken ct) => await {|#0:api.GetAsync("a")|};
        }
        """,
        new[] { Verify.Diagnostic("AGD0023").WithLocation(0).WithArguments("Api.GetAsync", "ct") },
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Api
        {
            public Task<int> GetAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(key.Length);
        }

        class C
        {
            async Task<int> M(Api api, CancellationToken ct) => await api.GetAsync("a", ct);
        }
        """);

    [Fact]
    public Task Call_OptionalParametersSkipped_AddsNamedArgument() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Api
        {
            public Task SendAsync(string body, int retries = 3, bool compress = false, CancellationToken cancellationToken = default) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Api api, CancellationToken ct)
            {
                await [|api.SendAsync("a")|];
                await [|api.SendAsync("b", compress: true)|];
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Api
        {
            public Task SendAsync(string body, int retries = 3, bool compress = false, CancellationToken cancellationToken = default) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Api api, CancellationToken ct)
            {
                await api.SendAsync("a", cancellationToken: ct);
                await api.SendAsync("b", compress: true, cancellationToken: ct);
            }
        }
        """);

    [Fact]
    public Task Call_OverloadWithTokenInTheMiddle_InsertsAtItsPlace() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Api
        {
            public Task RunAsync(string name, Func<int> body) => Task.CompletedTask;
            public Task RunAsync(string name, CancellationToken token, Func<int> body) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Api api, CancellationToken ct)
            {
                await [|api.RunAsync("a", () => 1)|];
            }
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Api
        {
            public Task RunAsync(string name, Func<int> body) => Task.CompletedTask;
            public Task RunAsync(string name, CancellationToken token, Func<int> body) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Api api, CancellationToken ct)
            {
                await api.RunAsync("a", ct, () => 1);
            }
        }
        """);

    [Fact]
    public Task Call_NamedArgumentsBeforeTrailingToken_AddsNamedArgument() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Api
        {
            public Task PutAsync(string key, string value) => Task.CompletedTask;
            public Task PutAsync(string key, string value, CancellationToken cancellationToken) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Api api, CancellationToken ct)
            {
                await [|api.PutAsync(value: "v", key: "k")|];
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Api
        {
            public Task PutAsync(string key, string value) => Task.CompletedTask;
            public Task PutAsync(string key, string value, CancellationToken cancellationToken) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Api api, CancellationToken ct)
            {
                await api.PutAsync(value: "v", key: "k", cancellationToken: ct);
            }
        }
        """);

    [Fact]
    public Task Call_GenericAndExtensionOverloads_Reports() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        static class Ext
        {
            public static Task<List<T>> LoadAsync<T>(this IEnumerable<T> source) => Task.FromResult(new List<T>(source));
            public static Task<List<T>> LoadAsync<T>(this IEnumerable<T> source, CancellationToken cancellationToken) => Task.FromResult(new List<T>(source));
        }

        class C
        {
            async Task<int> M(int[] items, CancellationToken ct)
            {
                var list = await {|#0:items.LoadAsync()|};
                return list.Count;
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0023").WithLocation(0).WithArguments("Ext.LoadAsync", "ct") },
        """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        static class Ext
        {
            public static Task<List<T>> LoadAsync<T>(this IEnumerable<T> source) => Task.FromResult(new List<T>(source));
            public static Task<List<T>> LoadAsync<T>(this IEnumerable<T> source, CancellationToken cancellationToken) => Task.FromResult(new List<T>(source));
        }

        class C
        {
            async Task<int> M(int[] items, CancellationToken ct)
            {
                var list = await items.LoadAsync(ct);
                return list.Count;
            }
        }
        """);

    [Fact]
    public Task Call_InSyncLambdaWithTokenInScope_Reports() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                await Task.Run(() => [|Task.Delay(10)|].Wait(ct), ct);
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                await Task.Run(() => Task.Delay(10, ct).Wait(ct), ct);
            }
        }
        """);

    [Fact]
    public Task Calls_SeveralInOneDocument_FixAllMatchesOneByOne() => Verify.VerifyCodeFixAsync(
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<string> M(Stream stream, CancellationToken ct)
            {
                await [|Task.Delay(1)|];
                await [|stream.FlushAsync()|];
                using var reader = new StreamReader(stream);
                await [|Task.Delay(3)|];
                return await [|reader.ReadToEndAsync()|];
            }

            Task N(CancellationToken token) => [|Task.Delay(2)|];
        }
        """,
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<string> M(Stream stream, CancellationToken ct)
            {
                await Task.Delay(1, ct);
                await stream.FlushAsync(ct);
                using var reader = new StreamReader(stream);
                await Task.Delay(3, ct);
                return await reader.ReadToEndAsync(ct);
            }

            Task N(CancellationToken token) => Task.Delay(2, token);
        }
        """);

    [Fact]
    public Task Call_CommentsAround_AreKept() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                // wait a little
                await [|Task.Delay(/* ms */ 100)|]; // trailing
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                // wait a little
                await Task.Delay(/* ms */ 100, ct); // trailing
            }
        }
        """);

    #endregion

    #region Shapes seen in public code

    [Fact]
    public Task PolyfillThatChecksThenDropsTheToken_Reports() => Verify.VerifyCodeFixAsync(
        """
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        static class ContentShims
        {
            public static async Task<string> ReadTextAsync(this HttpContent content, CancellationToken cancellationToken)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return await [|content.ReadAsStringAsync()|].ConfigureAwait(false);
            }
        }
        """,
        """
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        static class ContentShims
        {
            public static async Task<string> ReadTextAsync(this HttpContent content, CancellationToken cancellationToken)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        """);

    [Fact]
    public Task DownloadWithLinkedTimeout_AllForwarded_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.IO;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        static class Downloader
        {
            private static readonly HttpClient Client = new();

            public static async Task<long> FetchAsync(string url, string target, CancellationToken cancellationToken)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromMinutes(5));
                var part = target + ".part";
                try
                {
                    using var response = await Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                    response.EnsureSuccessStatusCode();
                    await using var input = await response.Content.ReadAsStreamAsync(timeout.Token);
                    await using var output = File.Create(part);
                    var buffer = new byte[81920];
                    long total = 0;
                    int read;
                    while ((read = await input.ReadAsync(buffer, timeout.Token)) > 0)
                    {
                        await output.WriteAsync(buffer.AsMemory(0, read), timeout.Token);
                        total += read;
                    }

                    return total;
                }
                finally
                {
                    if (File.Exists(part)) File.Delete(part);
                }
            }
        }
        """);

    #endregion

    #region Silent: no token, already passed, no overload

    [Fact]
    public Task Call_NoTokenInScope_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class C
        {
            async Task M() => await Task.Delay(100);
            static async Task S() => await Task.Delay(100);
        }
        """);

    [Fact]
    public Task Call_TokenAlreadyPassed_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Stream s, CancellationToken ct)
            {
                await Task.Delay(100, ct);
                await s.FlushAsync(cancellationToken: ct);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
                await Task.Delay(100, linked.Token);
            }
        }
        """);

    [Fact]
    public Task Call_NoTokenOverload_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Api
        {
            public Task SaveAsync(string key) => Task.CompletedTask;
            public Task SaveAsync(string key, int retries, CancellationToken ct) => Task.CompletedTask; // not "the same plus a token"
            public Task<int> CountAsync() => Task.FromResult(0);
            public Task<long> CountAsync(CancellationToken ct) => Task.FromResult(0L); // another return type
        }

        class C
        {
            async Task M(Api api, CancellationToken ct)
            {
                await api.SaveAsync("k");
                await api.CountAsync();
                await Task.WhenAll(Task.CompletedTask);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task GenericMethodsOverTokens_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken? maybe, List<CancellationToken> tokens, CancellationToken ct)
            {
                var token = maybe.GetValueOrDefault();
                tokens.Add(default);
                tokens.Add(CancellationToken.None);
                await Task.Delay(1, token);
            }
        }
        """);

    #endregion

    #region Silent: APIs and contexts where forwarding would be wrong

    [Fact]
    public Task Call_ObsoleteOrInaccessibleTokenOverload_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Api
        {
            public Task OpenAsync() => Task.CompletedTask;
            [Obsolete("Use OpenAsync()")]
            public Task OpenAsync(CancellationToken ct) => Task.CompletedTask;

            public Task CloseAsync() => Task.CompletedTask;
            private Task CloseAsync(CancellationToken ct) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Api api, CancellationToken ct)
            {
                await api.OpenAsync();
                await api.CloseAsync();
            }
        }
        """);

    [Fact]
    public Task CancellationApis_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct, TaskCompletionSource<int> tcs)
            {
                ct.ThrowIfCancellationRequested();
                using var registration = ct.Register(() => tcs.TrySetCanceled());
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                cts.CancelAfter(100);
                await Task.FromCanceled(ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        """);

    [Fact]
    public Task Call_ConvenienceOverloadForwardingNone_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Client
        {
            private readonly CancellationToken _disposed;

            public Task PingAsync() => PingAsync(CancellationToken.None);
            public Task PingAsync(CancellationToken cancellationToken) => Task.Delay(1, cancellationToken);
        }
        """);

    [Fact]
    public Task Call_InFinallyOrCancellationCatch_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Stream stream, CancellationToken ct)
            {
                try
                {
                    await stream.FlushAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    await stream.FlushAsync(CancellationToken.None);
                    throw;
                }
                finally
                {
                    await Task.Delay(1);
                }
            }
        }
        """);

    [Fact]
    public Task Call_InExpressionTreeOrQuery_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Linq;
        using System.Linq.Expressions;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(CancellationToken ct)
            {
                Expression<Func<Task>> tree = () => Task.Delay(1);
                var q = from x in new[] { 1, 2 } select Task.Delay(x);
            }
        }
        """);

    [Fact]
    public Task AsyncEnumerableWithCancellation_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async IAsyncEnumerable<int> ReadAll([EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                await Task.Delay(1, cancellationToken);
                yield return 1;
            }

            async Task M(CancellationToken ct)
            {
                await foreach (var x in ReadAll().WithCancellation(ct)) { }
            }
        }
        """);

    [Fact]
    public Task TokenFactoryMethod_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly CancellationTokenSource _stopping = new();

            CancellationToken Linked(CancellationToken other = default) => other.CanBeCanceled ? other : _stopping.Token;

            async Task M()
            {
                var token = Linked();
                await Task.Delay(1, token);
            }
        }
        """);

    [Fact]
    public Task CallbacksRunLater_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            public event EventHandler? Closed;

            async Task M(Stream stream, CancellationToken ct)
            {
                using var registration = ct.Register(() => stream.FlushAsync().Wait());
                Closed += (_, _) => stream.FlushAsync();
                await stream.FlushAsync(ct);
            }
        }
        """);

    [Fact]
    public Task TopLevelLocalToken_IsNotSuggestedInsideAType() => new Verify.Test
    {
        OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication,
        TestCode = """
            using System.Threading;
            using System.Threading.Tasks;

            var shutdown = new CancellationTokenSource();
            await Worker.RunAsync();
            shutdown.Cancel();

            static class Worker
            {
                public static Task RunAsync() => Task.Delay(1);
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Call_NamedArgumentThatTheOverloadNamesDifferently_ReportsWithoutFix()
    {
        const string source = """
            using System.Threading;
            using System.Threading.Tasks;

            class Api
            {
                public Task PutAsync(string k) => Task.CompletedTask;
                public Task PutAsync(string key, CancellationToken cancellationToken) => Task.CompletedTask;
            }

            class C
            {
                async Task M(Api api, CancellationToken ct)
                {
                    await [|api.PutAsync(k: "x")|];
                }
            }
            """;
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public Task MemberTokenInDispose_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Worker : IAsyncDisposable
        {
            private readonly CancellationTokenSource _stopping = new();

            public async ValueTask DisposeAsync()
            {
                _stopping.Cancel();
                await Task.Delay(10);
                _stopping.Dispose();
            }
        }
        """);

    [Fact]
    public Task StaticLambda_OuterTokenOutOfReach_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(CancellationToken ct)
            {
                Func<Task> f = static () => Task.Delay(1);
            }
        }
        """);

    #endregion

    #region No double report with AGD0001/AGD0002/AGD0003

    [Fact]
    public Task SyncCallWithAsyncTwin_InAsyncCode_LeftToAGD0002() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(SemaphoreSlim gate, ManualResetEventSlim ready, BlockingCollection<int> queue, CancellationToken ct)
            {
                gate.Wait();
                ready.Wait();
                queue.Take();
                Thread.Sleep(10);
                Task.Delay(1, ct).Wait();
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task SyncCallWithAsyncTwin_InSyncCode_Reports() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;

        class C
        {
            void M(SemaphoreSlim gate, CancellationToken ct)
            {
                [|gate.Wait()|];
                try { } finally { gate.Release(); }
            }
        }
        """,
        """
        using System.Threading;

        class C
        {
            void M(SemaphoreSlim gate, CancellationToken ct)
            {
                gate.Wait(ct);
                try { } finally { gate.Release(); }
            }
        }
        """);

    #endregion

    #region Options and robustness

    [Fact]
    public Task Call_SeverityNoneInEditorConfig_DoesNotReport() => new Verify.Test
    {
        EditorConfig = "dotnet_diagnostic.AGD0023.severity = none",
        TestCode = """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                Task M(CancellationToken ct) => Task.Delay(1);
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Call_HalfTypedCode_DoesNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                await Task.{|CS1501:Delay|}();
                await Task.Delay(1, {|CS0103:tok|});
                await {|CS0103:Missing|}(ct);
                await Task.Delay({|CS1503:"x"|});
            }
        }
        """);

    #endregion

    #region intent and cleanup paths (issue 13, 2c)

    // ---- intent and cleanup paths (issue 13, 2c) ----

    [Fact]
    public Task Call_TaskRunOrStartNew_TokenOnlyPreventsStart_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                await Task.Run(() => 1);
                await Task.Factory.StartNew(() => { });
                await [|Task.Delay(1)|];
            }
        }
        """);

    [Fact]
    public Task Call_InStopOrDisposePath_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Worker
        {
            private readonly CancellationTokenSource _stopping = new();
            private readonly Stream _stream = Stream.Null;

            public async Task StopAsync(CancellationToken cancellationToken)
            {
                _stopping.Cancel();
                await _stream.FlushAsync();
            }

            public async Task RunAsync(CancellationToken cancellationToken)
            {
                await [|_stream.FlushAsync()|];
                await DisconnectAsync();
            }

            private Task DisconnectAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task Call_InCatchBlock_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Stream stream, CancellationToken ct)
            {
                try
                {
                    await [|stream.FlushAsync()|];
                }
                catch (Exception)
                {
                    await stream.FlushAsync();
                    throw;
                }
            }
        }
        """);

    [Fact]
    public Task Call_NameStartingWithCleanupWordInsideAnother_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Diagnostics;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task Stopwatched(CancellationToken ct)
            {
                var watch = Stopwatch.StartNew();
                await [|Task.Delay(1)|];
            }
        }
        """);

    #endregion

    #region Recall (issue 14): cancellation APIs, recursion, tokens one level down, params, await foreach, delegates

    // ---- recall: cancellation APIs, recursion, tokens one level down ----

    [Fact]
    public Task CallNamedLikeCancel_NotACancellationApi_Reports() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Billing
        {
            public Task CancelInvoiceAsync(int id, CancellationToken ct = default) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Billing billing, int id, CancellationToken ct)
            {
                await [|billing.CancelInvoiceAsync(id)|];
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Billing
        {
            public Task CancelInvoiceAsync(int id, CancellationToken ct = default) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Billing billing, int id, CancellationToken ct)
            {
                await billing.CancelInvoiceAsync(id, ct);
            }
        }
        """);

    [Fact]
    public Task Recursion_DropsToken_Reports() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class Dir { public List<Dir> Subdirs { get; } = new(); }

        class Scanner
        {
            public async Task ScanAsync(Dir d, CancellationToken ct = default)
            {
                foreach (var s in d.Subdirs) await [|ScanAsync(s)|];
            }
        }
        """,
        """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class Dir { public List<Dir> Subdirs { get; } = new(); }

        class Scanner
        {
            public async Task ScanAsync(Dir d, CancellationToken ct = default)
            {
                foreach (var s in d.Subdirs) await ScanAsync(s, ct);
            }
        }
        """);

    [Fact]
    public Task SameNamedOverload_InLambdaWithItsOwnToken_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Client
        {
            public Task PingAsync() => Run(token => [|PingAsync()|]);
            public Task PingAsync(CancellationToken cancellationToken) => Task.Delay(1, cancellationToken);
            private static Task Run(Func<CancellationToken, Task> body) => body(CancellationToken.None);
        }
        """);

    [Fact]
    public Task SameNamedOverload_CallerHasToken_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Store
        {
            public Task SaveAsync(string key) => Task.CompletedTask;
            public Task SaveAsync(string key, CancellationToken ct) => Task.CompletedTask;
            public Task SaveAsync(int id, CancellationToken ct) => [|SaveAsync(id.ToString())|];
        }
        """);

    [Fact]
    public Task TokenOfParameter_JobAndContext_PassesIt() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        record Job(int Id, CancellationToken Token);

        class Context { public CancellationToken CancellationToken { get; init; } }

        class Handler
        {
            async Task Handle(Job job)
            {
                await {|#0:Task.Delay(job.Id)|};
            }

            async Task Consume(Context context)
            {
                await {|#1:Task.Delay(1)|};
            }
        }
        """,
        new[]
        {
            Verify.Diagnostic("AGD0023").WithLocation(0).WithArguments("Task.Delay", "job.Token"),
            Verify.Diagnostic("AGD0023").WithLocation(1).WithArguments("Task.Delay", "context.CancellationToken"),
        },
        """
        using System.Threading;
        using System.Threading.Tasks;

        record Job(int Id, CancellationToken Token);

        class Context { public CancellationToken CancellationToken { get; init; } }

        class Handler
        {
            async Task Handle(Job job)
            {
                await Task.Delay(job.Id, job.Token);
            }

            async Task Consume(Context context)
            {
                await Task.Delay(1, context.CancellationToken);
            }
        }
        """);

    [Fact]
    public Task TokenOfParameter_RanksAfterDirectTokensAndBeforeMembers() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        record Job(CancellationToken Token);

        class Handler
        {
            private readonly CancellationToken _stopping;

            async Task Direct(Job job, CancellationToken ct)
            {
                await {|#0:Task.Delay(1)|};
            }

            async Task Local(Job job)
            {
                var token = CancellationToken.None;
                await {|#1:Task.Delay(1)|};
            }

            async Task Member(Job job)
            {
                await {|#2:Task.Delay(1)|};
            }
        }
        """,
        new[]
        {
            Verify.Diagnostic("AGD0023").WithLocation(0).WithArguments("Task.Delay", "ct"),
            Verify.Diagnostic("AGD0023").WithLocation(1).WithArguments("Task.Delay", "token"),
            Verify.Diagnostic("AGD0023").WithLocation(2).WithArguments("Task.Delay", "job.Token"),
        },
        """
        using System.Threading;
        using System.Threading.Tasks;

        record Job(CancellationToken Token);

        class Handler
        {
            private readonly CancellationToken _stopping;

            async Task Direct(Job job, CancellationToken ct)
            {
                await Task.Delay(1, ct);
            }

            async Task Local(Job job)
            {
                var token = CancellationToken.None;
                await Task.Delay(1, token);
            }

            async Task Member(Job job)
            {
                await Task.Delay(1, job.Token);
            }
        }
        """);

    [Fact]
    public Task TokenOfOwnContextProperty_PassesIt() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class CallerContext { public CancellationToken ConnectionAborted { get; } }

        abstract class HubBase { public CallerContext Context { get; } = new(); }

        class ChatHub : HubBase
        {
            async Task Send()
            {
                await {|#0:Task.Delay(1)|};
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0023").WithLocation(0).WithArguments("Task.Delay", "Context.ConnectionAborted") },
        """
        using System.Threading;
        using System.Threading.Tasks;

        class CallerContext { public CancellationToken ConnectionAborted { get; } }

        abstract class HubBase { public CallerContext Context { get; } = new(); }

        class ChatHub : HubBase
        {
            async Task Send()
            {
                await Task.Delay(1, Context.ConnectionAborted);
            }
        }
        """);

    [Fact]
    public Task TokenOfThreadingTypesAndExceptions_IsNotATokenInScope() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private class Hidden { internal CancellationToken Token { get; } }

            async Task M(CancellationTokenRegistration registration, OperationCanceledException error, TaskFactory factory, Hidden hidden)
            {
                await Task.Delay(1);
            }
        }
        """);

    // ---- recall: params siblings, await foreach, delegates, awaitable kinds, experimental ----

    [Fact]
    public Task ParamsMethod_TokenSiblingTakesArray_FixBuildsTheArray() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Set
        {
            public ValueTask<object?> FindAsync(params object[] keys) => default;
            public ValueTask<object?> FindAsync(object[] keys, CancellationToken ct) => default;
        }

        class C
        {
            async Task M(Set set, int id, string region, CancellationToken ct)
            {
                await [|set.FindAsync(id)|];
                await [|set.FindAsync(id, region)|];
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Set
        {
            public ValueTask<object?> FindAsync(params object[] keys) => default;
            public ValueTask<object?> FindAsync(object[] keys, CancellationToken ct) => default;
        }

        class C
        {
            async Task M(Set set, int id, string region, CancellationToken ct)
            {
                await set.FindAsync(new object[] { id }, ct);
                await set.FindAsync(new object[] { id, region }, ct);
            }
        }
        """);

    [Fact]
    public Task ParamsMethod_ArrayPassed_AddsTokenAfterIt() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Set
        {
            public ValueTask<object?> FindAsync(params object[] keys) => default;
            public ValueTask<object?> FindAsync(object[] keys, CancellationToken ct) => default;
        }

        class C
        {
            async Task M(Set set, object[] keys, CancellationToken ct)
            {
                await [|set.FindAsync(keys)|];
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Set
        {
            public ValueTask<object?> FindAsync(params object[] keys) => default;
            public ValueTask<object?> FindAsync(object[] keys, CancellationToken ct) => default;
        }

        class C
        {
            async Task M(Set set, object[] keys, CancellationToken ct)
            {
                await set.FindAsync(keys, ct);
            }
        }
        """);

    [Fact]
    public Task ParamsMethod_NoTokenSibling_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Log
        {
            public Task WriteAsync(string format, params object[] values) => Task.CompletedTask;
            public Task WriteAsync(string format, object[] values, int level) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Log log, CancellationToken ct)
            {
                await log.WriteAsync("{0}", 1);
            }
        }
        """);

    [Fact]
    public Task AwaitForeach_SequenceWithoutToken_ReportsAndAddsWithCancellation() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(IAsyncEnumerable<int> items, CancellationToken ct)
            {
                await foreach (var item in {|#0:items|})
                {
                }
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0023").WithLocation(0).WithArguments("await foreach", "ct") },
        """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(IAsyncEnumerable<int> items, CancellationToken ct)
            {
                await foreach (var item in items.WithCancellation(ct))
                {
                }
            }
        }
        """);

    [Fact]
    public Task AwaitForeach_SequenceGotTheToken_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Channels;
        using System.Threading.Tasks;

        class C
        {
            async IAsyncEnumerable<int> ReadAsync([EnumeratorCancellation] CancellationToken ct = default)
            {
                await Task.Delay(1, ct);
                yield return 1;
            }

            async Task M(IAsyncEnumerable<int> items, ChannelReader<int> reader, CancellationToken ct)
            {
                await foreach (var item in items.WithCancellation(ct)) { }
                await foreach (var item in items.WithCancellation(ct).ConfigureAwait(false)) { }
                await foreach (var item in reader.ReadAllAsync(ct)) { }
                await foreach (var item in ReadAsync(ct)) { }
                var lines = ReadAsync(ct);
                await foreach (var item in lines) { }
            }

            async Task NoToken(IAsyncEnumerable<int> items)
            {
                await foreach (var item in items) { }
            }
        }
        """);

    [Fact]
    public Task AwaitForeach_IteratorCallOmitsItsToken_ReportsTheCallOnly() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async IAsyncEnumerable<int> ReadAsync([EnumeratorCancellation] CancellationToken ct = default)
            {
                await Task.Delay(1, ct);
                yield return 1;
            }

            async Task M(CancellationToken ct)
            {
                await foreach (var item in [|ReadAsync()|]) { }
            }
        }
        """,
        """
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async IAsyncEnumerable<int> ReadAsync([EnumeratorCancellation] CancellationToken ct = default)
            {
                await Task.Delay(1, ct);
                yield return 1;
            }

            async Task M(CancellationToken ct)
            {
                await foreach (var item in ReadAsync(ct)) { }
            }
        }
        """);

    [Fact]
    public Task DelegateWithOptionalToken_InvokedWithout_Reports() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        delegate Task Step(int n, CancellationToken ct = default);

        class C
        {
            async Task M(Step step, CancellationToken ct)
            {
                await [|step(1)|];
                await [|step.Invoke(2)|];
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        delegate Task Step(int n, CancellationToken ct = default);

        class C
        {
            async Task M(Step step, CancellationToken ct)
            {
                await step(1, ct);
                await step.Invoke(2, ct);
            }
        }
        """);

    [Fact]
    public Task DelegateInvoked_TokenPassedOrNoTokenParameter_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Func<CancellationToken, Task> work, Func<Task> plain, CancellationToken ct)
            {
                await work(ct);
                await plain();
            }
        }
        """);

    [Fact]
    public Task TokenOverloadOfAnotherAwaitableKind_Awaited_Reports() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Api
        {
            public Task<int> GetAsync(string key) => Task.FromResult(0);
            public ValueTask<int> GetAsync(string key, CancellationToken ct) => default;
            public Task FlushAsync() => Task.CompletedTask;
            public ValueTask FlushAsync(CancellationToken ct) => default;
        }

        class C
        {
            async Task M(Api api, CancellationToken ct)
            {
                var n = await [|api.GetAsync("a")|];
                await [|api.FlushAsync()|].ConfigureAwait(false);
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Api
        {
            public Task<int> GetAsync(string key) => Task.FromResult(0);
            public ValueTask<int> GetAsync(string key, CancellationToken ct) => default;
            public Task FlushAsync() => Task.CompletedTask;
            public ValueTask FlushAsync(CancellationToken ct) => default;
        }

        class C
        {
            async Task M(Api api, CancellationToken ct)
            {
                var n = await api.GetAsync("a", ct);
                await api.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        """);

    [Fact]
    public Task TokenOverloadOfAnotherAwaitableKind_NotAwaited_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Api
        {
            public Task<int> GetAsync(string key) => Task.FromResult(0);
            public ValueTask<int> GetAsync(string key, CancellationToken ct) => default;
            public Task<int> CountAsync() => Task.FromResult(0);
            public ValueTask<long> CountAsync(CancellationToken ct) => default;
        }

        class C
        {
            async Task M(Api api, CancellationToken ct)
            {
                Task<int> pending = api.GetAsync("a");
                await Task.WhenAll(pending, api.GetAsync("b"));
                await api.CountAsync();
            }
        }
        """);

    [Fact]
    public Task ExperimentalTokenOverload_IsNotATwin_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Diagnostics.CodeAnalysis;
        using System.Threading;
        using System.Threading.Tasks;

        class Api
        {
            public Task OpenAsync() => Task.CompletedTask;
            [Experimental("API001")]
            public Task OpenAsync(CancellationToken ct) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Api api, CancellationToken ct)
            {
                await api.OpenAsync();
            }
        }
        """);

    // ---- policy: an outer token inside a sync lambda with no token of its own ----

    [Fact]
    public Task SyncLambda_RunsInTheWork_ReportsWithOuterToken() => Verify.VerifyAnalyzerAsync(
        """
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(int[] ids, CancellationToken ct)
            {
                var tasks = ids.Select(id => [|Task.Delay(id)|]).ToArray();
                await Task.WhenAll(tasks);
            }
        }
        """);

    [Fact]
    public Task SyncLambda_StoredInFieldOrProperty_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private Func<Task>? _onTick;
            public Func<Task>? OnStop { get; set; }

            async Task StartAsync(CancellationToken ct)
            {
                _onTick = () => Task.Delay(10);
                OnStop = () => Task.Delay(20);
                await Task.Delay(1, ct);
            }
        }
        """);

    #endregion
}
