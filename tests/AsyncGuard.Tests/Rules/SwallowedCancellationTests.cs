using System.Threading.Tasks;
using AsyncGuard.CodeFixes.Rules;
using Microsoft.CodeAnalysis.CSharp;
using Verify = AsyncGuard.Tests.Verifiers.CSharpCodeFixVerifier<AsyncGuard.Rules.SwallowedCancellationAnalyzer, AsyncGuard.CodeFixes.Rules.SwallowedCancellationCodeFixProvider>;

namespace AsyncGuard.Tests.Rules;

/// <summary>AGD0020, AGD0021, AGD0022: catches that swallow cancellation, log it as a failure, or catch TaskCanceledException alone.</summary>
public sealed class SwallowedCancellationTests
{
    private const string Logging = """

        namespace Microsoft.Extensions.Logging
        {
            public interface ILogger { void Log(string message); }
            public static class LoggerExtensions
            {
                public static void LogError(this ILogger logger, System.Exception exception, string message) { }
                public static void LogWarning(this ILogger logger, string message) { }
            }
        }
        """;

    #region AGD0020: catch (OperationCanceledException) that carries on

    [Fact]
    public Task OperationCanceledCatch_InWhileTrueLoopThatKeepsAwaiting_ReportsAndRethrows() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading.Tasks;

        class Worker
        {
            async Task RunForeverAsync()
            {
                while (true)
                {
                    try
                    {
                        await Task.Delay(1000);
                    }
                    {|#0:catch (OperationCanceledException)|}
                    {
                        // asyncio's "ignore the CancelledError and carry on"
                        Console.WriteLine("cancelled, carrying on");
                    }
                }
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0020").WithLocation(0).WithArguments("catch (OperationCanceledException)") },
        """
        using System;
        using System.Threading.Tasks;

        class Worker
        {
            async Task RunForeverAsync()
            {
                while (true)
                {
                    try
                    {
                        await Task.Delay(1000);
                    }
                    catch (OperationCanceledException)
                    {
                        Console.WriteLine("cancelled, carrying on");
                        throw;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Rethrow_CommentsSayingTheCatchIgnoresCancellation_AreDropped_OthersKept() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading.Tasks;

        class Worker
        {
            async Task Empty()
            {
                try { await Task.Delay(1000); }
                {|AGD0020:catch (OperationCanceledException)|}
                {
                    // Ignore: the next round starts anyway.
                }

                await Task.Yield();
            }

            async Task Logs()
            {
                try { await Task.Delay(1000); }
                {|AGD0020:catch (OperationCanceledException)|}
                {
                    // the operator wants to see it
                    Console.WriteLine("cancelled"); /* swallowed on purpose */
                }

                await Task.Yield();
            }
        }
        """,
        """
        using System;
        using System.Threading.Tasks;

        class Worker
        {
            async Task Empty()
            {
                try { await Task.Delay(1000); }
                catch (OperationCanceledException)
                {
                    throw;
                }

                await Task.Yield();
            }

            async Task Logs()
            {
                try { await Task.Delay(1000); }
                catch (OperationCanceledException)
                {
                    // the operator wants to see it
                    Console.WriteLine("cancelled");
                    throw;
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task EmptyOperationCanceledCatch_FollowedByAwaitAfterTry_ReportsAndRethrows() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                try { await Task.Delay(10, ct); }
                {|AGD0020:catch (OperationCanceledException)|} { }
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
            async Task M(CancellationToken ct)
            {
                try { await Task.Delay(10, ct); }
                catch (OperationCanceledException) { throw; }
                await Task.Yield();
            }
        }
        """);

    #endregion

    #region AGD0020: general catch (Exception) gets a filter

    [Fact]
    public Task GeneralCatch_InRetryLoop_ReportsAndAddsFilter() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Poller
        {
            async Task PollAsync(Func<CancellationToken, Task> poll, CancellationToken ct)
            {
                while (true)
                {
                    try
                    {
                        await poll(ct);
                    }
                    {|AGD0020:catch (Exception ex)|}
                    {
                        Console.WriteLine(ex.Message);
                    }
                }
            }
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Poller
        {
            async Task PollAsync(Func<CancellationToken, Task> poll, CancellationToken ct)
            {
                while (true)
                {
                    try
                    {
                        await poll(ct);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        Console.WriteLine(ex.Message);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task UntypedCatch_InLoop_BecomesFilteredExceptionCatch() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                for (;;)
                {
                    try { await Task.Delay(100, ct); }
                    {|AGD0020:catch|} { }
                }
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
                for (;;)
                {
                    try { await Task.Delay(100, ct); }
                    catch (System.Exception ex) when (ex is not System.OperationCanceledException) { }
                }
            }
        }
        """);

    [Fact]
    public Task GeneralCatchWithoutVariable_NameTaken_PicksAnotherNameAndKeepsFilter() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct, bool ex)
            {
                while (true)
                {
                    try { await Task.Delay(100, ct); }
                    {|AGD0020:catch (Exception)|} when (ex || ct.IsCancellationRequested) { }
                }
            }
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct, bool ex)
            {
                while (true)
                {
                    try { await Task.Delay(100, ct); }
                    catch (Exception exception) when (exception is not OperationCanceledException && (ex || ct.IsCancellationRequested)) { }
                }
            }
        }
        """);

    [Fact]
    public Task GeneralCatch_CSharp8_InsertsRethrowingCatchClause() => new Verify.Test
    {
        LanguageVersion = LanguageVersion.CSharp8,
        TestCode = """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(CancellationToken ct)
                {
                    while (true)
                    {
                        try
                        {
                            await Task.Delay(100, ct);
                        }
                        {|AGD0020:catch (Exception ex)|}
                        {
                            Console.WriteLine(ex);
                        }
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(CancellationToken ct)
                {
                    while (true)
                    {
                        try
                        {
                            await Task.Delay(100, ct);
                        }
                        catch (OperationCanceledException)
                        {
                            throw;
                        }
                        catch (Exception ex)
                        {
                            Console.WriteLine(ex);
                        }
                    }
                }
            }
            """,
    }.RunAsync();

    #endregion

    #region AGD0020: work in and after the catch

    [Fact]
    public Task TokenCheckedAfterCatch_ButFilterOnTokenInsideWhileTrue_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(100, ct); }
                    {|AGD0020:catch (OperationCanceledException)|} when (ct.IsCancellationRequested) { }
                }
            }
        }
        """);

    [Fact]
    public Task CatchBodyAwaits_AndCompletes_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                try { await Task.Delay(100, ct); }
                {|AGD0020:catch (OperationCanceledException)|} { await Task.Delay(1000); }
            }
        }
        """);

    [Fact]
    public Task CatchBodyAwaits_ThenReturns_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Task NotifyAsync() => Task.CompletedTask;

            async Task AwaitsThenReturns(CancellationToken ct)
            {
                try { await Task.Delay(100, ct); }
                {|AGD0020:catch (OperationCanceledException)|}
                {
                    await NotifyAsync();
                    return;
                }
            }

            async Task<int> AwaitsThenReturnsValue(CancellationToken ct)
            {
                try { await Task.Delay(100, ct); return 1; }
                {|AGD0020:catch (OperationCanceledException)|}
                {
                    await NotifyAsync();
                    return 0;
                }
            }

            async Task ReturnsRightAway(CancellationToken ct)
            {
                try { await Task.Delay(100, ct); }
                catch (OperationCanceledException) { Console.WriteLine("stopping"); return; }
            }
        }
        """);

    [Fact]
    public Task TokenCheckedRightAfterCatch_DoesNotReport_WorkBeforeTheCheckReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Task WorkAsync() => Task.CompletedTask;

            async Task ChecksAfter(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(100, ct); }
                    catch (OperationCanceledException) { }
                    ct.ThrowIfCancellationRequested();
                    await WorkAsync();
                }
            }

            async Task ChecksAfterTheLoop(CancellationToken ct)
            {
                try { await Task.Delay(100, ct); }
                catch (OperationCanceledException) { Console.WriteLine("cancelled"); }
                ct.ThrowIfCancellationRequested();
                await WorkAsync();
            }

            async Task WorksBeforeChecking(CancellationToken ct)
            {
                try { await Task.Delay(100, ct); }
                {|AGD0020:catch (OperationCanceledException)|} { }
                await WorkAsync();
                ct.ThrowIfCancellationRequested();
            }
        }
        """);

    [Fact]
    public Task CatchInAsyncLambdaLoop_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Task Start(CancellationToken ct) => Task.Run(async () =>
            {
                while (true)
                {
                    try { await Task.Delay(100, ct); }
                    {|AGD0020:catch (OperationCanceledException)|} { }
                }
            });
        }
        """);

    [Fact]
    public Task ThrowIfCancellationRequestedInTry_SyncLoop_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;

        class C
        {
            void M(CancellationToken ct, Action<CancellationToken> step)
            {
                while (true)
                {
                    try { ct.ThrowIfCancellationRequested(); step(ct); }
                    {|AGD0020:catch (OperationCanceledException)|} { }
                }
            }
        }
        """);

    [Fact]
    public Task CatchWithContinue_ReportsButOffersNoRethrow() => Verify.VerifyCodeFixAsync(CatchWithContinue, CatchWithContinue);

    private const string CatchWithContinue = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct, bool skip)
            {
                while (true)
                {
                    try { await Task.Delay(100, ct); }
                    {|AGD0020:catch (OperationCanceledException)|} { if (skip) continue; Console.WriteLine(); }
                }
            }
        }
        """;

    #endregion

    #region AGD0020: Fix All

    [Fact]
    public Task SeveralSwallowsInDocument_FixAllRethrowsEach() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task A(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(1, ct); }
                    {|AGD0020:catch (OperationCanceledException)|} { Console.WriteLine("a"); }
                }
            }

            async Task B(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(1, ct); }
                    {|AGD0020:catch (OperationCanceledException)|} { Console.WriteLine("b"); }
                }
            }
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task A(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(1, ct); }
                    catch (OperationCanceledException) { Console.WriteLine("a"); throw; }
                }
            }

            async Task B(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(1, ct); }
                    catch (OperationCanceledException) { Console.WriteLine("b"); throw; }
                }
            }
        }
        """);

    [Fact]
    public Task SeveralGeneralCatchesInDocument_FixAllAddsEachFilter() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task A(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(1, ct); }
                    {|AGD0020:catch (Exception e)|} { Console.WriteLine(e); }
                }
            }

            async Task<bool> B(CancellationToken ct)
            {
                try { await Task.Delay(1, ct); return true; }
                {|AGD0021:catch (Exception ex)|} { Console.Error.WriteLine(ex); return false; }
            }
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task A(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(1, ct); }
                    catch (Exception e) when (e is not OperationCanceledException) { Console.WriteLine(e); }
                }
            }

            async Task<bool> B(CancellationToken ct)
            {
                try { await Task.Delay(1, ct); return true; }
                catch (Exception ex) when (ex is not OperationCanceledException) { Console.Error.WriteLine(ex); return false; }
            }
        }
        """);

    #endregion

    #region AGD0020: silent (cleanup then exit, filters, rethrows)

    [Fact]
    public Task CleanupThenExitShapes_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task Rethrows(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(1, ct); }
                    catch (OperationCanceledException) { Console.WriteLine("cleanup"); throw; }
                }
            }

            async Task ThrowsNew(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(1, ct); }
                    catch (OperationCanceledException e) { throw new TimeoutException("gave up", e); }
                }
            }

            async Task Returns(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(1, ct); }
                    catch (OperationCanceledException) { Console.WriteLine("stopping"); return; }
                }
            }

            async Task<int> Breaks(CancellationToken ct)
            {
                var rounds = 0;
                while (true)
                {
                    try { await Task.Delay(1, ct); rounds++; }
                    catch (OperationCanceledException) { break; }
                }

                return rounds;
            }

            async IAsyncEnumerable<int> YieldsBreak([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
            {
                for (var i = 0; ; i++)
                {
                    try { await Task.Delay(1, ct); }
                    catch (OperationCanceledException) { yield break; }
                    yield return i;
                }
            }

            async Task ChecksToken(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(1, ct); }
                    catch (OperationCanceledException) { Console.WriteLine("x"); ct.ThrowIfCancellationRequested(); }
                }
            }

            async Task GeneralCatchRethrowsCancellation(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(1, ct); }
                    catch (Exception ex)
                    {
                        if (ex is OperationCanceledException) throw;
                        Console.WriteLine(ex);
                    }
                }
            }

            async Task LoopConditionChecksToken(CancellationToken ct)
            {
                while (!ct.IsCancellationRequested)
                {
                    try { await Task.Delay(1, ct); }
                    catch (OperationCanceledException) { }
                }
            }

            async Task NothingAfter(CancellationToken ct)
            {
                try { await Task.Delay(1, ct); }
                catch (OperationCanceledException) { Console.WriteLine("cancelled"); }
            }
        }
        """);

    [Fact]
    public Task HostedServiceShutdownIdiom_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        abstract class BackgroundService
        {
            protected abstract Task ExecuteAsync(CancellationToken stoppingToken);
        }

        sealed class Worker : BackgroundService
        {
            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                try
                {
                    while (true)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
                        Console.WriteLine("tick");
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                }
            }
        }
        """);

    [Fact]
    public Task FiltersThatLetCancellationThrough_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(1, ct); }
                    catch (Exception ex) when (ex is not OperationCanceledException) { }
                    try { await Task.Delay(1, ct); }
                    catch (Exception ex) when (!(ex is OperationCanceledException)) { }
                    try { await Task.Delay(1, ct); }
                    catch (Exception) when (!ct.IsCancellationRequested) { }
                    try { await Task.Delay(1, ct); }
                    catch (Exception ex) when (ex is HttpRequestException) { }
                    try { await Task.Delay(1, ct); }
                    catch (Exception ex) when (ex is not TaskCanceledException and not ObjectDisposedException) { }
                    try { await Task.Delay(1, ct); }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
                }
            }
        }
        """);

    [Fact]
    public Task FilterOnAnotherTokenThanTheOnePassed_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Watcher
        {
            async Task M(Func<CancellationToken, Task> waitRunning, CancellationTokenSource processExited, CancellationToken iteration)
            {
                while (true)
                {
                    try { await waitRunning(iteration); }
                    catch (OperationCanceledException) when (processExited.Token.IsCancellationRequested)
                    {
                        Console.WriteLine("process exited; waiting for a change");
                    }

                    await Task.Delay(100);
                }
            }
        }
        """);

    [Fact]
    public Task EarlierCatchRethrowsCancellation_GeneralCatchDoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(1, ct); }
                    catch (OperationCanceledException) { throw; }
                    catch (Exception ex) { Console.WriteLine(ex); }
                }
            }
        }
        """);

    [Fact]
    public Task GeneralCatch_AroundCodeThatCannotBeCancelled_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                while (true)
                {
                    try { File.Delete("x"); }
                    catch (Exception ex) { Console.WriteLine(ex); }
                    await Task.Delay(1000, ct);
                }
            }
        }
        """);

    [Fact]
    public Task GeneralCatchLogs_ThenLoopDelaysWithToken_ReportsOnlyAsLoggedFailure() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Logging;

        class Worker
        {
            private readonly ILogger logger = null!;

            async Task RunAsync(Func<CancellationToken, Task> work, CancellationToken stoppingToken)
            {
                while (true)
                {
                    try
                    {
                        await work(stoppingToken);
                    }
                    {|#0:catch (Exception ex)|}
                    {
                        logger.LogError(ex, "work failed");
                    }

                    await Task.Delay(1000, stoppingToken);
                }
            }
        }
        """ + Logging,
        new[] { Verify.Diagnostic("AGD0021").WithLocation(0).WithArguments("catch (Exception ex)") },
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Logging;

        class Worker
        {
            private readonly ILogger logger = null!;

            async Task RunAsync(Func<CancellationToken, Task> work, CancellationToken stoppingToken)
            {
                while (true)
                {
                    try
                    {
                        await work(stoppingToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        logger.LogError(ex, "work failed");
                    }

                    await Task.Delay(1000, stoppingToken);
                }
            }
        }
        """ + Logging);

    #endregion

    #region AGD0021: cancellation logged as a failure

    [Fact]
    public Task GeneralCatchLogsAndRethrows_ReportsLoggedFailure() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Diagnostics;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Logging;

        class C
        {
            async Task<string> A(Func<CancellationToken, Task<string>> fetch, ILogger log, CancellationToken ct)
            {
                try { return await fetch(ct); }
                {|AGD0021:catch (Exception ex)|} { log.LogError(ex, "fetch failed"); throw; }
            }

            async Task B(CancellationToken ct)
            {
                try { await Task.Delay(1, ct); }
                {|AGD0021:catch|} { Debug.Fail("delay failed"); }
            }

            async Task C2(CancellationToken ct)
            {
                try { await Task.Delay(1, ct); }
                {|AGD0021:catch (Exception ex)|} { Trace.TraceError(ex.ToString()); }
            }

            async Task D(CancellationToken ct)
            {
                try { await Task.Delay(1, ct); }
                catch (Exception ex) when (ex is not OperationCanceledException) { Console.WriteLine(ex); }
                try { await Task.Delay(1, ct); }
                catch (OperationCanceledException ex) { Console.WriteLine(ex); }
                try { Console.WriteLine(); }
                catch (Exception ex) { Console.WriteLine(ex); }
            }
        }
        """ + Logging);

    #endregion

    #region AGD0022: catching TaskCanceledException only

    // eShop's AnimationBase: the awaited continuation runs only on a fault and is cancelled
    // otherwise, which the await reports as TaskCanceledException: the catch names exactly that.
    // A continuation without such options, or another await in the try, still reports.
    [Fact]
    public Task TaskCanceledCatch_AroundConditionalContinuationOnly_DoesNotReport_OtherAwaitReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Animation
        {
            Task Run() => Task.Delay(1);

            async Task Begin()
            {
                try
                {
                    await Run().ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted).ConfigureAwait(false);
                }
                catch (TaskCanceledException)
                {
                }
            }

            async Task Reset(CancellationToken ct)
            {
                try
                {
                    await Run().ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                    await Task.Delay(10, ct);
                }
                {|#0:catch (TaskCanceledException)|}
                {
                    return;
                }
            }
        }
        """,
        Verify.Diagnostic("AGD0022").WithLocation(0).WithArguments("catch (TaskCanceledException)"));

    [Fact]
    public Task TaskCanceledCatch_ChangesToOperationCanceledKeepingVariableAndFilter() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<bool> M(CancellationToken ct)
            {
                try { await Task.Delay(1, ct); return true; }
                {|#0:catch (TaskCanceledException e)|} when (ct.IsCancellationRequested) { Console.WriteLine(e.Message); return false; }
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0022").WithLocation(0).WithArguments("catch (TaskCanceledException e)") },
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<bool> M(CancellationToken ct)
            {
                try { await Task.Delay(1, ct); return true; }
                catch (OperationCanceledException e) when (ct.IsCancellationRequested) { Console.WriteLine(e.Message); return false; }
            }
        }
        """);

    [Fact]
    public Task TaskCanceledCatch_SwallowingInLoop_ReportsBothRules() => new Verify.Test
    {
        TestCode = """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(CancellationToken ct)
                {
                    while (true)
                    {
                        try { await Task.Delay(1, ct); }
                        {|AGD0020:{|AGD0022:catch (TaskCanceledException)|}|} { }
                    }
                }
            }
            """,
        FixedCode = """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(CancellationToken ct)
                {
                    while (true)
                    {
                        try { await Task.Delay(1, ct); }
                        catch (System.OperationCanceledException) { throw; }
                    }
                }
            }
            """,
        SkipFixAll = true,
    }.RunAsync();

    [Fact]
    public Task TaskCanceledCatch_TimeoutIdiomOrOperationCanceledNearby_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<string?> Timeout(HttpClient client, CancellationToken ct)
            {
                try { return await client.GetStringAsync("https://example.invalid/", ct); }
                catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException) { return null; }
            }

            async Task<string?> SameTry(HttpClient client, CancellationToken ct)
            {
                try { return await client.GetStringAsync("https://example.invalid/", ct); }
                catch (TaskCanceledException) { return null; }
                catch (OperationCanceledException) { throw; }
            }

            async Task<string?> Enclosing(HttpClient client, CancellationToken ct)
            {
                try
                {
                    try { return await client.GetStringAsync("https://example.invalid/", ct); }
                    catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return "timed out"; }
                }
                catch (OperationCanceledException)
                {
                    throw;
                }
            }
        }
        """);

    #endregion

    #region Half-typed code and token scope

    [Fact]
    public Task HalfTypedCatches_DoNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                while (true)
                {
                    try { await Task.Delay(1, ct); }
                    catch ({|CS0246:Missing|} ex) when (ex is not {|CS0103:Other|}) { }
                    try { await {|CS0103:Unknown|}(ct); }
                    catch (OperationCanceledException) when ({|CS0103:flag|}) { }
                }
            }
        }
        """);

    // Seen in public retry helpers: a loop that retries any failure, in code with no token at all.
    // Nothing can cancel it, so the general catch is about failures (timeouts included), not cancellation.
    [Fact]
    public Task GeneralCatch_RetryLoopWithNoTokenInScope_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class Downloader
        {
            async Task<string> FetchWithRetriesAsync(Func<Task<string>> fetch)
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        return await fetch();
                    }
                    catch (Exception error)
                    {
                        Console.WriteLine($"attempt {attempt} failed: {error.Message}");
                        await Task.Delay(200 * attempt);
                    }
                }
            }
        }
        """);

    // The same loop once the method takes a token (and the pause ignores it): a cancellation is
    // now caught, logged and retried. Passing the token to the pause would end the loop instead.
    [Fact]
    public Task GeneralCatch_RetryLoopWithTokenParameter_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Downloader
        {
            async Task<string> FetchWithRetriesAsync(Func<Task<string>> fetch, CancellationToken cancellationToken)
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        return await fetch();
                    }
                    {|AGD0020:catch (Exception error)|}
                    {
                        Console.WriteLine($"attempt {attempt} failed: {error.Message}");
                        await Task.Delay(200 * attempt);
                    }
                }
            }
        }
        """);

    #endregion

    #region AGD0020: catches that deal with the exception on purpose (issue 13, 2f and 3)

    // ---- AGD0020: catches that deal with the exception on purpose (issue 13, 2f and 3) ----

    [Fact]
    public Task Catch_EndsInDoesNotReturnHelper_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Diagnostics.CodeAnalysis;
        using System.Runtime.ExceptionServices;
        using System.Threading;
        using System.Threading.Tasks;

        static class Throw
        {
            [DoesNotReturn]
            public static void Persistence(string message, Exception inner) => throw new InvalidOperationException(message, inner);

            public static void Maybe(string message) { }
        }

        class C
        {
            async Task A(CancellationToken ct)
            {
                try { await Task.Delay(1, ct); }
                catch (Exception e) { Throw.Persistence("update failed", e); }
                await Task.Yield();
            }

            async Task B(CancellationToken ct)
            {
                try { await Task.Delay(1, ct); }
                catch (OperationCanceledException e) { ExceptionDispatchInfo.Capture(e).Throw(); }
                await Task.Yield();
            }

            async Task D(CancellationToken ct)
            {
                try { await Task.Delay(1, ct); }
                {|AGD0020:catch (Exception)|} { Throw.Maybe("update failed"); }
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Catch_TestsForCancellationItself_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private bool _stopped;

            async Task A(CancellationToken ct)
            {
                try { await Task.Delay(1, ct); }
                catch (Exception exception)
                {
                    switch (exception)
                    {
                        case OperationCanceledException:
                            _stopped = true;
                            break;
                        default:
                            _stopped = false;
                            break;
                    }
                }

                await Task.Yield();
            }

            async Task B(CancellationToken ct)
            {
                try { await Task.Delay(1, ct); }
                catch (Exception exception)
                {
                    if (exception is OperationCanceledException) _stopped = true;
                }

                await Task.Yield();
            }

            async Task D(CancellationToken ct)
            {
                try { await Task.Delay(1, ct); }
                {|AGD0020:catch (Exception)|}
                {
                    _stopped = true;
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Catch_HandsTheExceptionOn_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        sealed record Outcome(Exception? Error);

        class C
        {
            private Exception? _last;

            async Task<List<Exception>> All(IEnumerable<Func<CancellationToken, Task>> steps, CancellationToken ct)
            {
                var errors = new List<Exception>();
                foreach (var step in steps)
                {
                    try { await step(ct); }
                    catch (Exception e) { errors.Add(e); }
                }

                return errors;
            }

            async Task<Outcome> One(Func<CancellationToken, Task> step, CancellationToken ct)
            {
                var outcome = new Outcome(null);
                try { await step(ct); }
                catch (Exception e) { outcome = new Outcome(e); }
                await Task.Yield();
                return outcome;
            }

            async Task Field(Func<CancellationToken, Task> step, CancellationToken ct)
            {
                try { await step(ct); }
                catch (Exception e) { _last = e; }
                await Task.Yield();
            }

            async Task<int> Counted(IEnumerable<Func<CancellationToken, Task>> steps, CancellationToken ct)
            {
                var failures = 0;
                foreach (var step in steps)
                {
                    try { await step(ct); }
                    {|AGD0020:catch (Exception e)|} { failures += e.Message.Length > 0 ? 1 : 0; }
                }

                return failures;
            }
        }
        """);

    [Fact]
    public Task Catch_OnlyBreak_WithAwaitsAfterTheLoop_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task A(SemaphoreSlim signal, CancellationToken ct)
            {
                while (true)
                {
                    try { await signal.WaitAsync(1000, ct); }
                    catch (OperationCanceledException) { break; }
                }

                await Task.Yield();
            }

            async Task B(SemaphoreSlim signal, CancellationToken ct)
            {
                while (true)
                {
                    try { await signal.WaitAsync(1000, ct); }
                    {|AGD0020:catch (OperationCanceledException)|} { }
                }
            }
        }
        """);

    [Fact]
    public Task Catch_BestEffortCleanup_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private int _failures;

            async Task InFinally(Func<CancellationToken, Task> work, Func<CancellationToken, Task> release, CancellationToken ct)
            {
                try { await work(ct); }
                finally
                {
                    try { await release(ct); }
                    catch (Exception e) { _failures++; }
                    await Task.Yield();
                }
            }

            async Task InCatch(Func<CancellationToken, Task> work, Func<CancellationToken, Task> markFailed, CancellationToken ct)
            {
                try { await work(ct); }
                catch (InvalidOperationException)
                {
                    try { await markFailed(ct); }
                    catch (Exception e) { _failures++; }
                    await Task.Yield();
                }
            }

            async Task StopAsync(Func<CancellationToken, Task> stopOne, CancellationToken ct)
            {
                try { await stopOne(ct); }
                catch (Exception e) { _failures++; }
                await Task.Yield();
            }

            async Task RunAsync(Func<CancellationToken, Task> step, CancellationToken ct)
            {
                try { await step(ct); }
                {|AGD0020:catch (Exception e)|} { _failures++; }
                await Task.Yield();
            }
        }
        """);

    // ---- issue 13: shapes read on real code that handle cancellation on purpose, each beside a close variant that swallows ----

    [Fact]
    public Task FilterOnTheTokenItPasses_OutsideALoopThatGoesRound_DoesNotReport_InOneOrWithoutTheFilterReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        sealed class RunContext
        {
            public CancellationToken CancellationToken { get; set; }
        }

        class Shell
        {
            private bool _cancelled;

            async Task Run(RunContext context, Func<CancellationToken, Task> job, Func<Task> complete)
            {
                try { await job(context.CancellationToken); }
                catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
                {
                    _cancelled = true;
                }

                await complete();
            }

            async Task Unfiltered(RunContext context, Func<CancellationToken, Task> job, Func<Task> complete)
            {
                try { await job(context.CancellationToken); }
                {|AGD0020:catch (OperationCanceledException)|}
                {
                    _cancelled = true;
                }

                await complete();
            }

            async Task InALoopThatGoesRoundOnlyOnContinue(RunContext context, Func<CancellationToken, Task> job, Func<Task<bool>> complete)
            {
                do
                {
                    try { await job(context.CancellationToken); }
                    catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
                    {
                        _cancelled = true;
                    }

                    if (await complete()) continue;
                    break;
                }
                while (true);
            }

            async Task InALoop(RunContext context, Func<CancellationToken, Task> job)
            {
                while (true)
                {
                    try { await job(context.CancellationToken); }
                    {|AGD0020:catch (OperationCanceledException)|} when (context.CancellationToken.IsCancellationRequested)
                    {
                        _cancelled = true;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task FilterOnTheToken_InALoop_RethrowFix() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Func<CancellationToken, Task> job, CancellationToken ct)
            {
                while (true)
                {
                    try { await job(ct); }
                    {|#0:catch (OperationCanceledException)|} when (ct.IsCancellationRequested)
                    {
                        Console.WriteLine("cancelled");
                    }
                }
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0020").WithLocation(0).WithArguments("catch (OperationCanceledException)") },
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Func<CancellationToken, Task> job, CancellationToken ct)
            {
                while (true)
                {
                    try { await job(ct); }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        Console.WriteLine("cancelled");
                        throw;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Catch_HandsTheExceptionToCodeThatActsOnIt_DoesNotReport_LoggingItReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Logging;

        interface ILog { void Error(Exception exception, string message); }

        sealed class Attempt
        {
            public void Resolve(string message, Exception exception, out int status) => status = exception.HResult;
        }

        class C
        {
            private readonly Action<Exception> _onError = _ => { };
            private readonly ILogger _logger = null!;
            private readonly ILog _log = null!;

            async Task StoredAndReadLater(Func<CancellationToken, Task> send, Func<Task> flush, CancellationToken ct)
            {
                Exception? sendError = null;
                try { await send(ct); }
                catch (Exception ex) { sendError = ex; }

                await flush();
                if (sendError is not null) throw sendError;
            }

            async Task ToAHandler(Func<CancellationToken, Task> handle, CancellationToken ct)
            {
                while (true)
                {
                    try { await handle(ct); }
                    catch (Exception e) { _onError(e); }
                }
            }

            async Task<int> IntoAResult(Attempt attempt, Func<CancellationToken, Task> start, Func<Task> next, CancellationToken ct)
            {
                var status = 0;
                try { await start(ct); }
                catch (Exception ex) { attempt.Resolve("could not start", ex, out status); }

                await next();
                return status;
            }

            async Task ToAnILogger(Func<CancellationToken, Task> handle, CancellationToken ct)
            {
                while (true)
                {
                    try { await handle(ct); }
                    {|AGD0020:catch (Exception e)|} { _logger.LogError(e, "handler failed"); }
                }
            }

            async Task ToALog(Func<CancellationToken, Task> handle, CancellationToken ct)
            {
                while (true)
                {
                    try { await handle(ct); }
                    {|AGD0020:catch (Exception e)|} { _log.Error(e, "handler failed"); }
                }
            }

            async Task AskedAbout(Func<CancellationToken, Task> handle, CancellationToken ct)
            {
                while (true)
                {
                    try { await handle(ct); }
                    {|AGD0020:catch (Exception e)|} { if (IsTransient(e)) Console.WriteLine("transient"); }
                }
            }

            static bool IsTransient(Exception e) => e is TimeoutException;

            async Task StoredNeverRead(Func<CancellationToken, Task> handle, CancellationToken ct)
            {
                while (true)
                {
                    Exception? last;
                    try { await handle(ct); }
                    {|AGD0020:catch (Exception e)|} { last = e; }
                }
            }
        }
        """ + Logging);

    [Fact]
    public Task BackOffDelay_TokenCheckedRightAfterInsideAnOuterTry_DoesNotReport_WithoutTheCheckReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Scheduler
        {
            private volatile bool _halted;
            private int _failures;

            TimeSpan BackOff() => TimeSpan.FromMilliseconds(10 * _failures);

            void Poll() { }

            async Task Loop(Func<CancellationToken, Task> fire, CancellationTokenSource cts)
            {
                while (!_halted)
                {
                    cts.Token.ThrowIfCancellationRequested();
                    try
                    {
                        if (_failures > 1)
                        {
                            try
                            {
                                var delay = BackOff();
                                await Task.Delay(delay, cts.Token);
                            }
                            catch
                            {
                            }
                        }

                        cts.Token.ThrowIfCancellationRequested();
                        await fire(cts.Token);
                    }
                    catch (InvalidOperationException)
                    {
                        _failures++;
                    }
                }
            }

            async Task Spins(CancellationTokenSource cts)
            {
                while (!_halted)
                {
                    try
                    {
                        await Task.Delay(BackOff(), cts.Token);
                    }
                    {|AGD0020:catch|}
                    {
                    }

                    Poll();
                }
            }

            async Task WorksBeforeTheDelay(Func<CancellationToken, Task> fire, CancellationTokenSource cts)
            {
                while (!_halted)
                {
                    try
                    {
                        await fire(cts.Token);
                        await Task.Delay(BackOff(), cts.Token);
                    }
                    {|AGD0020:catch|}
                    {
                    }

                    Poll();
                }
            }
        }
        """);

    [Fact]
    public Task TokenCheckInABesideTry_ThrowsIntoACatchThatGoesRound_BothReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private int _failures;

            async Task M(Func<CancellationToken, Task> first, Func<CancellationToken, Task> second, CancellationToken ct)
            {
                while (true)
                {
                    try { await first(ct); }
                    {|AGD0020:catch (OperationCanceledException)|} { }

                    try { await second(ct); }
                    {|AGD0020:catch (Exception)|} { _failures++; }
                }
            }
        }
        """);

    [Fact]
    public Task Retry_SuccessLeavesTheLoopAndTheCatchCanGiveUp_DoesNotReport_ARetryThatNeverGivesUpReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        interface IAttempt { }

        class Retrying
        {
            private int _failures;

            Task<IAttempt?> NextAttemptAsync(IAttempt? previous) => Task.FromResult(previous);

            async Task RunAsync(Func<IAttempt, CancellationToken, Task> action, CancellationToken ct)
            {
                var attempt = await NextAttemptAsync(null);
                while (true)
                {
                    try
                    {
                        await action(attempt!, ct);
                        return;
                    }
                    catch
                    {
                        attempt = await NextAttemptAsync(attempt);
                        if (attempt == null)
                        {
                            throw;
                        }
                    }
                }
            }

            async Task<int> UntilFirstSuccess(Func<CancellationToken, Task<int>> fetch, CancellationToken ct)
            {
                var result = 0;
                for (var i = 0; ; i++)
                {
                    try
                    {
                        result = await fetch(ct);
                        break;
                    }
                    catch (Exception)
                    {
                        if (i == 3) break;
                        await Task.Delay(100);
                    }
                }

                return result;
            }

            async Task<string?> FirstThatConnects(string[] addresses, Func<string, CancellationToken, Task> connect, Func<Task> report, CancellationToken ct)
            {
                string? connected = null;
                foreach (var address in addresses)
                {
                    try
                    {
                        await connect(address, ct);
                        connected = address;
                        break;
                    }
                    catch (Exception)
                    {
                        _failures++;
                    }
                }

                await report();
                return connected;
            }

            async Task NeverGivesUp(Func<CancellationToken, Task> action, CancellationToken ct)
            {
                while (true)
                {
                    try
                    {
                        await action(ct);
                        return;
                    }
                    {|AGD0020:catch|}
                    {
                        _failures++;
                        await Task.Delay(100);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task NotifyingEachListener_LogsAndGoesOn_ReportsAndAddsFilter() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Logging;

        interface IListener { Task PausedAsync(string key, CancellationToken cancellationToken); }

        class Notifier
        {
            private readonly ILogger _logger = null!;

            async Task NotifyPausedAsync(IEnumerable<IListener> listeners, string key, CancellationToken cancellationToken)
            {
                foreach (var listener in listeners)
                {
                    try
                    {
                        await listener.PausedAsync(key, cancellationToken);
                    }
                    {|#0:catch (Exception e)|}
                    {
                        _logger.LogError(e, "Error while notifying listener");
                    }
                }
            }
        }
        """ + Logging,
        new[] { Verify.Diagnostic("AGD0020").WithLocation(0).WithArguments("catch (Exception e)") },
        """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Logging;

        interface IListener { Task PausedAsync(string key, CancellationToken cancellationToken); }

        class Notifier
        {
            private readonly ILogger _logger = null!;

            async Task NotifyPausedAsync(IEnumerable<IListener> listeners, string key, CancellationToken cancellationToken)
            {
                foreach (var listener in listeners)
                {
                    try
                    {
                        await listener.PausedAsync(key, cancellationToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        _logger.LogError(e, "Error while notifying listener");
                    }
                }
            }
        }
        """ + Logging);

    [Fact]
    public Task AwaitForEachOverASequenceGivenTheToken_EndsTheLoop_LogOnlyReportsAsLoggedFailure() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Logging;

        interface IInbox
        {
            IAsyncEnumerable<string> ReadAllAsync(CancellationToken cancellationToken = default);
        }

        class Server
        {
            private readonly ILogger _logger = null!;

            async Task TokenGiven(IInbox inbox, Func<string, CancellationToken, Task> reply, CancellationToken ct)
            {
                await foreach (var message in inbox.ReadAllAsync(ct))
                {
                    try { await reply(message, ct); }
                    {|AGD0021:catch (Exception ex)|} { _logger.LogError(ex, "message loop error"); }
                }
            }

            async Task NoToken(IInbox inbox, Func<string, CancellationToken, Task> reply, CancellationToken ct)
            {
                await foreach (var message in inbox.ReadAllAsync())
                {
                    try { await reply(message, ct); }
                    {|AGD0020:catch (Exception ex)|} { _logger.LogError(ex, "message loop error"); }
                }
            }
        }
        """ + Logging);

    // jellyfin's RecordingsManager: a stopped recording is an outcome: the catch records it in a
    // status that the cleanup after the try reports. A status that nothing reads afterwards is not.
    [Fact]
    public Task CancellationCatch_RecordingTheOutcomeReadAfterTheTry_DoesNotReport_UnreadStatusReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Recorder
        {
            async Task<string> Record(Func<CancellationToken, Task> record, Func<Task> close, CancellationToken token)
            {
                var status = "Error";
                try
                {
                    await record(token);
                    status = "Completed";
                }
                catch (OperationCanceledException)
                {
                    status = "Stopped";
                }

                await close();
                return status;
            }

            async Task RecordAndForget(Func<CancellationToken, Task> record, Func<Task> close, CancellationToken token)
            {
                var status = "Error";
                try
                {
                    await record(token);
                }
                {|AGD0020:catch (OperationCanceledException)|}
                {
                    status = "Stopped";
                }

                await close();
            }
        }
        """);

    // nats.net's SvcListener: the sequence given the token is configured with ConfigureAwait(false);
    // the next step of the loop still throws once the token is cancelled.
    [Fact]
    public Task AwaitForEachOverAConfiguredSequenceGivenTheToken_EndsTheLoop() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        interface IInbox
        {
            IAsyncEnumerable<string> ReadAllAsync(CancellationToken cancellationToken = default);
        }

        class Listener
        {
            async Task Configured(IInbox inbox, Func<string, CancellationToken, Task> write, CancellationToken ct)
            {
                await foreach (var message in inbox.ReadAllAsync(ct).ConfigureAwait(false))
                {
                    try { await write(message, ct).ConfigureAwait(false); }
                    catch (OperationCanceledException) { }
                }
            }

            async Task ConfiguredNoToken(IInbox inbox, Func<string, CancellationToken, Task> write, CancellationToken ct)
            {
                await foreach (var message in inbox.ReadAllAsync().ConfigureAwait(false))
                {
                    try { await write(message, ct).ConfigureAwait(false); }
                    {|AGD0020:catch (OperationCanceledException)|} { }
                }
            }
        }
        """);

    // jellyfin's ProviderManager: every call the try awaits is given CancellationToken.None (or no
    // token at all where the parameter is optional), so a token in scope cannot cancel it: what the
    // catch sees is a failure. A call given no token argument where it takes none still counts.
    [Fact]
    public Task GeneralCatch_TryAwaitsOnlyCallsGivenNone_DoesNotReport_OtherCallReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        interface ISaver
        {
            Task SaveAsync(string item, CancellationToken cancellationToken = default);
            Task NotifyAsync(string item);
        }

        class Provider
        {
            async Task SaveAll(IEnumerable<ISaver> savers, string item, CancellationToken cancellationToken)
            {
                foreach (var saver in savers)
                {
                    try
                    {
                        await saver.SaveAsync(item, CancellationToken.None).ConfigureAwait(false);
                        await saver.SaveAsync(item);
                    }
                    catch (Exception ex)
                    {
                        Console.WriteLine(ex.Message);
                    }
                }
            }

            async Task NotifyAll(IEnumerable<ISaver> savers, string item, CancellationToken cancellationToken)
            {
                foreach (var saver in savers)
                {
                    try
                    {
                        await saver.SaveAsync(item, CancellationToken.None);
                        await saver.NotifyAsync(item);
                    }
                    {|AGD0020:catch (Exception ex)|}
                    {
                        Console.WriteLine(ex.Message);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Catch_LeavesOnEveryPathAndThrowsOnSome_DoesNotReport_AlwaysReturningAfterWorkReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Writer
        {
            private bool _committed;
            private bool _failed;

            async Task Decides(Func<CancellationToken, Task> write, TaskCompletionSource<bool> written, CancellationToken ct)
            {
                try { await write(ct); }
                catch
                {
                    if (_committed)
                    {
                        throw;
                    }

                    var ok = await written.Task;
                    if (ok)
                    {
                        return;
                    }

                    throw new InvalidOperationException("write failed");
                }
            }

            async Task AlwaysReturns(Func<CancellationToken, Task> write, TaskCompletionSource<bool> written, CancellationToken ct)
            {
                try { await write(ct); }
                {|AGD0020:catch|}
                {
                    _failed = !await written.Task;
                    return;
                }
            }
        }
        """);

    [Fact]
    public Task Catch_StartsByLeavingOnceDisposed_DoesNotReport_AGuardOnSomethingElseReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Connection
        {
            private readonly CancellationTokenSource _disposedCts = new();
            private volatile bool _disposed;
            private int _failures;
            private bool _verbose;

            bool CheckDisposed() => _disposed;

            async Task ReconnectAsync(Task closed, Func<CancellationToken, Task> connect)
            {
                try { await closed.WaitAsync(_disposedCts.Token); }
                catch (Exception)
                {
                    if (CheckDisposed())
                    {
                        return;
                    }

                    _failures++;
                }

                await connect(CancellationToken.None);
            }

            async Task GuardsOnAFlag(Func<CancellationToken, Task> connect, Func<Task> wait)
            {
                while (true)
                {
                    try { await connect(_disposedCts.Token); }
                    catch (Exception)
                    {
                        if (_disposed) break;
                        _failures++;
                    }

                    await wait();
                }
            }

            async Task GuardsOnSomethingElse(Func<CancellationToken, Task> connect, Func<Task> wait)
            {
                while (true)
                {
                    try { await connect(_disposedCts.Token); }
                    {|AGD0020:catch (Exception)|}
                    {
                        if (_verbose) return;
                        _failures++;
                    }

                    await wait();
                }
            }
        }
        """);

    #endregion
}
