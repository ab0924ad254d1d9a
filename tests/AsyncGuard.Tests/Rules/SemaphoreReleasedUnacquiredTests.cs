using System.Threading.Tasks;
using Verify = AsyncGuard.Tests.Verifiers.CSharpCodeFixVerifier<AsyncGuard.Rules.SemaphoreReleasedUnacquiredAnalyzer, AsyncGuard.CodeFixes.Rules.SemaphoreReleasedUnacquiredCodeFixProvider>;

namespace AsyncGuard.Tests.Rules;

/// <summary>
/// AGD0025: a SemaphoreSlim wait inside the try whose finally releases it, or a timed wait whose
/// result is ignored before such a try. The shapes follow bugs fixed in public code (a pipe
/// writer guarding its stream with a semaphore property, a cancelled wait that made the finally
/// throw SemaphoreFullException, a release wrapped in catch (SemaphoreFullException), a timed
/// wait before the try) and the correct forms found beside them (acquire before the try, a
/// "taken" flag, the bool result guarding the release).
/// </summary>
public sealed class SemaphoreReleasedUnacquiredTests
{
    [Fact]
    public Task WaitAsyncOnPropertyInsideTry_Reports_FixMovesItBeforeTheTry() => Verify.VerifyCodeFixAsync(
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        sealed class FrameWriter
        {
            private readonly Stream _stream = Stream.Null;

            private SemaphoreSlim Gate { get; } = new SemaphoreSlim(1, 1);

            public async Task WriteAsync(byte[] frame, CancellationToken cancellationToken)
            {
                try
                {
                    await {|#0:Gate.WaitAsync(cancellationToken)|}.ConfigureAwait(false);

                    await _stream.WriteAsync(frame, 0, frame.Length, cancellationToken).ConfigureAwait(false);
                    await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    Gate.Release();
                }
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0025").WithLocation(0).WithArguments("SemaphoreSlim.WaitAsync", "Gate", "acquire before the try") },
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        sealed class FrameWriter
        {
            private readonly Stream _stream = Stream.Null;

            private SemaphoreSlim Gate { get; } = new SemaphoreSlim(1, 1);

            public async Task WriteAsync(byte[] frame, CancellationToken cancellationToken)
            {
                await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await _stream.WriteAsync(frame, 0, frame.Length, cancellationToken).ConfigureAwait(false);
                    await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    Gate.Release();
                }
            }
        }
        """);

    [Fact]
    public Task WaitAsyncOnFieldWithComments_Reports_FixKeepsTheComments() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class CategoryIndex
        {
            private readonly SemaphoreSlim _semaphore = new(1, 1);
            private readonly Dictionary<string, int> _index = new();

            public async Task<int> GetAsync(string key, CancellationToken ct)
            {
                // one loader at a time
                try
                {
                    // waits for the loader in progress
                    await [|this._semaphore.WaitAsync(ct)|]; // may throw when cancelled
                    if (!_index.TryGetValue(key, out var value))
                    {
                        await Task.Delay(1, ct);
                        _index[key] = value = key.Length;
                    }

                    return value;
                }
                finally
                {
                    _semaphore.Release();
                }
            }
        }
        """,
        """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class CategoryIndex
        {
            private readonly SemaphoreSlim _semaphore = new(1, 1);
            private readonly Dictionary<string, int> _index = new();

            public async Task<int> GetAsync(string key, CancellationToken ct)
            {
                // one loader at a time
                // waits for the loader in progress
                await this._semaphore.WaitAsync(ct); // may throw when cancelled
                try
                {
                    if (!_index.TryGetValue(key, out var value))
                    {
                        await Task.Delay(1, ct);
                        _index[key] = value = key.Length;
                    }

                    return value;
                }
                finally
                {
                    _semaphore.Release();
                }
            }
        }
        """);

    [Fact]
    public Task TimedWaitAsyncIgnoredInsideTry_Reports_FixMovesAndChecksTheResult() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Poller
        {
            private readonly SemaphoreSlim _gate = new(1, 1);

            public async Task PollAsync(CancellationToken ct)
            {
                try
                {
                    await {|#0:_gate.WaitAsync(1000, ct)|};
                    await Task.Delay(10, ct);
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0025").WithLocation(0).WithArguments("SemaphoreSlim.WaitAsync", "_gate", "acquire before the try and check the result") },
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Poller
        {
            private readonly SemaphoreSlim _gate = new(1, 1);

            public async Task PollAsync(CancellationToken ct)
            {
                if (!await _gate.WaitAsync(1000, ct))
                    throw new System.TimeoutException();
                try
                {
                    await Task.Delay(10, ct);
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        """);

    [Fact]
    public Task TimedWaitIgnoredBeforeTry_Reports_FixChecksTheResult() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;

        class DeserializerCache
        {
            private readonly SemaphoreSlim _semaphore = new(1, 1);
            private object? _deserializer;

            public object Get()
            {
                if (_deserializer == null)
                {
                    {|#0:_semaphore.Wait(TimeSpan.FromSeconds(10))|}; // the build may take a while
                    try
                    {
                        _deserializer ??= new object();
                    }
                    finally
                    {
                        _semaphore.Release();
                    }
                }

                return _deserializer;
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0025").WithLocation(0).WithArguments("SemaphoreSlim.Wait", "_semaphore", "check the result before the try") },
        """
        using System;
        using System.Threading;

        class DeserializerCache
        {
            private readonly SemaphoreSlim _semaphore = new(1, 1);
            private object? _deserializer;

            public object Get()
            {
                if (_deserializer == null)
                {
                    if (!_semaphore.Wait(TimeSpan.FromSeconds(10)))
                        throw new TimeoutException(); // the build may take a while
                    try
                    {
                        _deserializer ??= new object();
                    }
                    finally
                    {
                        _semaphore.Release();
                    }
                }

                return _deserializer;
            }
        }
        """);

    [Fact]
    public Task TimedWaitGuardingAReturnInsideTry_Reports_FixMovesTheGuard() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Synchronizer
        {
            private readonly SemaphoreSlim _semaphore = new(1, 1);

            public async Task<bool> RunAsync(Func<Task> action)
            {
                try
                {
                    if (!await [|_semaphore.WaitAsync(TimeSpan.FromSeconds(5))|])
                    {
                        Console.WriteLine("lock not taken");
                        return false;
                    }

                    await action();
                    return true;
                }
                finally
                {
                    _semaphore.Release();
                }
            }
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Synchronizer
        {
            private readonly SemaphoreSlim _semaphore = new(1, 1);

            public async Task<bool> RunAsync(Func<Task> action)
            {
                if (!await _semaphore.WaitAsync(TimeSpan.FromSeconds(5)))
                {
                    Console.WriteLine("lock not taken");
                    return false;
                }
                try
                {
                    await action();
                    return true;
                }
                finally
                {
                    _semaphore.Release();
                }
            }
        }
        """);

    [Fact]
    public Task TwoWaitsOpeningTheTry_BothReport_FixMovesBothInOrder() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Transfer
        {
            private readonly SemaphoreSlim _source = new(1, 1);
            private readonly SemaphoreSlim _target = new(1, 1);

            public async Task MoveAsync(CancellationToken ct)
            {
                try
                {
                    await [|_source.WaitAsync(ct)|];
                    await [|_target.WaitAsync(ct)|];
                    await Task.Delay(1, ct);
                }
                finally
                {
                    _target.Release();
                    _source.Release();
                }
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Transfer
        {
            private readonly SemaphoreSlim _source = new(1, 1);
            private readonly SemaphoreSlim _target = new(1, 1);

            public async Task MoveAsync(CancellationToken ct)
            {
                await _source.WaitAsync(ct);
                await _target.WaitAsync(ct);
                try
                {
                    await Task.Delay(1, ct);
                }
                finally
                {
                    _target.Release();
                    _source.Release();
                }
            }
        }
        """);

    [Fact]
    public Task SyncWaitOnParameterAndLocal_Report_FixAll() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;

        static class Throttle
        {
            public static void Run(SemaphoreSlim throttle, CancellationToken token)
            {
                try
                {
                    [|throttle.Wait(token)|];
                    Work();
                }
                finally
                {
                    _ = throttle.Release();
                }
            }

            public static void RunLocal(int degree)
            {
                var local = new SemaphoreSlim(degree);
                switch (degree)
                {
                    case 1:
                        try
                        {
                            [|local.Wait()|];
                            Work();
                        }
                        finally
                        {
                            local?.Release();
                        }

                        break;
                }
            }

            private static void Work()
            {
            }
        }
        """,
        """
        using System.Threading;

        static class Throttle
        {
            public static void Run(SemaphoreSlim throttle, CancellationToken token)
            {
                throttle.Wait(token);
                try
                {
                    Work();
                }
                finally
                {
                    _ = throttle.Release();
                }
            }

            public static void RunLocal(int degree)
            {
                var local = new SemaphoreSlim(degree);
                switch (degree)
                {
                    case 1:
                        local.Wait();
                        try
                        {
                            Work();
                        }
                        finally
                        {
                            local?.Release();
                        }

                        break;
                }
            }

            private static void Work()
            {
            }
        }
        """);

    [Fact]
    public Task WaitInOneLineTry_Reports_FixPutsTheWaitOnItsOwnLine() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;

        class C
        {
            void M(SemaphoreSlim s)
            {
                try { [|s.Wait()|]; Work(); } finally { s.Release(); }
            }

            void Work()
            {
            }
        }
        """,
        """
        using System.Threading;

        class C
        {
            void M(SemaphoreSlim s)
            {
                s.Wait();
                try { Work(); } finally { s.Release(); }
            }

            void Work()
            {
            }
        }
        """);

    [Fact]
    public Task InfiniteTimeoutInsideTry_ReportsWithoutResultCheck_FixMovesIt() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly SemaphoreSlim _gate = new(1, 1);

            async Task M(CancellationToken ct)
            {
                try
                {
                    await {|#0:_gate.WaitAsync(Timeout.Infinite, ct)|};
                    await Task.Delay(1, ct);
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0025").WithLocation(0).WithArguments("SemaphoreSlim.WaitAsync", "_gate", "acquire before the try") },
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly SemaphoreSlim _gate = new(1, 1);

            async Task M(CancellationToken ct)
            {
                await _gate.WaitAsync(Timeout.Infinite, ct);
                try
                {
                    await Task.Delay(1, ct);
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        """);

    [Fact]
    public Task WaitInsideTryThatCannotMove_Reports_FixGuardsTheReleaseWithAFlag() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Client
        {
            private readonly SemaphoreSlim _handlers = new(1, 1);
            private readonly SemaphoreSlim _other = new(1, 1);
            private bool _busy;

            // A catch would no longer see the wait's exception.
            public async Task WithCatchAsync(CancellationToken ct)
            {
                try
                {
                    await [|_handlers.WaitAsync(ct)|];
                    await Task.Delay(1, ct);
                }
                catch (Exception ex)
                {
                    Console.WriteLine(ex.Message);
                }
                finally
                {
                    _handlers.Release(); // let the next handler in
                }
            }

            // The rest of the finally would stop running when the wait throws.
            public async Task WithOtherCleanupAsync(CancellationToken ct)
            {
                _busy = true;
                try
                {
                    await [|_handlers.WaitAsync(1000, ct)|];
                }
                finally
                {
                    _handlers.Release();
                    _busy = false;
                }
            }

            // Moving the wait would put the log call under the semaphore.
            public async Task NotFirstAsync(CancellationToken ct)
            {
                try
                {
                    Console.WriteLine("waiting");
                    await [|_handlers.WaitAsync(ct)|];
                }
                finally
                {
                    _handlers.Release();
                }
            }

            // A release that swallows SemaphoreFullException still over-releases when another caller holds the semaphore.
            public async Task ReleaseSwallowsFullAsync(CancellationToken ct)
            {
                try
                {
                    await [|_handlers.WaitAsync(ct)|];
                    await Task.Delay(1, ct);
                }
                finally
                {
                    try
                    {
                        _handlers.Release();
                    }
                    catch (SemaphoreFullException)
                    {
                    }
                }
            }

            // The cancelled wait returns through the outer finally.
            public async Task InnerCatchReturnsAsync(CancellationToken ct)
            {
                try
                {
                    try
                    {
                        await [|_handlers.WaitAsync(ct)|];
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    await Task.Delay(1, ct);
                }
                finally
                {
                    _handlers.Release();
                }
            }

            // _other was acquired before the try: it must still be released when the wait throws.
            public async Task ReleasesAnotherHeldSemaphoreAsync(CancellationToken ct)
            {
                var handlersTaken = 0;
                await _other.WaitAsync(ct);
                try
                {
                    await [|_handlers.WaitAsync(ct)|];
                    handlersTaken++;
                }
                finally
                {
                    _handlers.Release();
                    _other.Release();
                }
            }
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Client
        {
            private readonly SemaphoreSlim _handlers = new(1, 1);
            private readonly SemaphoreSlim _other = new(1, 1);
            private bool _busy;

            // A catch would no longer see the wait's exception.
            public async Task WithCatchAsync(CancellationToken ct)
            {
                var handlersTaken = false;
                try
                {
                    await _handlers.WaitAsync(ct);
                    handlersTaken = true;
                    await Task.Delay(1, ct);
                }
                catch (Exception ex)
                {
                    Console.WriteLine(ex.Message);
                }
                finally
                {
                    if (handlersTaken)
                        _handlers.Release(); // let the next handler in
                }
            }

            // The rest of the finally would stop running when the wait throws.
            public async Task WithOtherCleanupAsync(CancellationToken ct)
            {
                _busy = true;
                var handlersTaken = false;
                try
                {
                    if (!await _handlers.WaitAsync(1000, ct))
                        throw new TimeoutException();
                    handlersTaken = true;
                }
                finally
                {
                    if (handlersTaken)
                        _handlers.Release();
                    _busy = false;
                }
            }

            // Moving the wait would put the log call under the semaphore.
            public async Task NotFirstAsync(CancellationToken ct)
            {
                var handlersTaken = false;
                try
                {
                    Console.WriteLine("waiting");
                    await _handlers.WaitAsync(ct);
                    handlersTaken = true;
                }
                finally
                {
                    if (handlersTaken)
                        _handlers.Release();
                }
            }

            // A release that swallows SemaphoreFullException still over-releases when another caller holds the semaphore.
            public async Task ReleaseSwallowsFullAsync(CancellationToken ct)
            {
                var handlersTaken = false;
                try
                {
                    await _handlers.WaitAsync(ct);
                    handlersTaken = true;
                    await Task.Delay(1, ct);
                }
                finally
                {
                    try
                    {
                        if (handlersTaken)
                            _handlers.Release();
                    }
                    catch (SemaphoreFullException)
                    {
                    }
                }
            }

            // The cancelled wait returns through the outer finally.
            public async Task InnerCatchReturnsAsync(CancellationToken ct)
            {
                var handlersTaken = false;
                try
                {
                    try
                    {
                        await _handlers.WaitAsync(ct);
                        handlersTaken = true;
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    await Task.Delay(1, ct);
                }
                finally
                {
                    if (handlersTaken)
                        _handlers.Release();
                }
            }

            // _other was acquired before the try: it must still be released when the wait throws.
            public async Task ReleasesAnotherHeldSemaphoreAsync(CancellationToken ct)
            {
                var handlersTaken = 0;
                await _other.WaitAsync(ct);
                var handlersTaken2 = false;
                try
                {
                    await _handlers.WaitAsync(ct);
                    handlersTaken2 = true;
                    handlersTaken++;
                }
                finally
                {
                    if (handlersTaken2)
                        _handlers.Release();
                    _other.Release();
                }
            }
        }
        """);

    [Fact]
    public Task TwoWaitsInTryWithCatch_BothReport_FixGivesEachItsFlag() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Transfer
        {
            private readonly SemaphoreSlim _source = new(1, 1);
            private readonly SemaphoreSlim _target = new(1, 1);

            public async Task MoveAsync(CancellationToken ct)
            {
                // both ledgers, in this order
                try
                {
                    await [|_source.WaitAsync(ct)|];
                    await [|_target.WaitAsync(ct)|];
                    await Task.Delay(1, ct);
                }
                catch (OperationCanceledException)
                {
                    Console.WriteLine("cancelled");
                }
                finally
                {
                    _target.Release();
                    _source.Release();
                }
            }
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Transfer
        {
            private readonly SemaphoreSlim _source = new(1, 1);
            private readonly SemaphoreSlim _target = new(1, 1);

            public async Task MoveAsync(CancellationToken ct)
            {
                // both ledgers, in this order
                var sourceTaken = false;
                var targetTaken = false;
                try
                {
                    await _source.WaitAsync(ct);
                    sourceTaken = true;
                    await _target.WaitAsync(ct);
                    targetTaken = true;
                    await Task.Delay(1, ct);
                }
                catch (OperationCanceledException)
                {
                    Console.WriteLine("cancelled");
                }
                finally
                {
                    if (targetTaken)
                        _target.Release();
                    if (sourceTaken)
                        _source.Release();
                }
            }
        }
        """);

    [Fact]
    public Task WaitWhoseResultIsKept_Reports_NoFix()
    {
        const string source = """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class Client
            {
                private readonly SemaphoreSlim _handlers = new(1, 1);

                // The timed wait's result is kept, but the release does not look at it.
                public async Task<bool> KeptResultAsync(CancellationToken ct)
                {
                    try
                    {
                        var entered = await [|_handlers.WaitAsync(100, ct)|];
                        return entered;
                    }
                    finally
                    {
                        _handlers.Release();
                    }
                }

                // Silent: the release's count is used, and the analyzer counts only releases that are statements.
                public async Task CountedReleaseAsync(CancellationToken ct)
                {
                    try
                    {
                        Console.WriteLine("waiting");
                        await _handlers.WaitAsync(ct);
                    }
                    finally
                    {
                        Console.WriteLine(_handlers.Release());
                    }
                }
            }
            """;
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public Task CorrectShapes_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Correct
        {
            private readonly SemaphoreSlim _semaphore = new(1, 1);
            private int _waiting;

            // Acquire, then try.
            public async Task AcquireBeforeTryAsync(CancellationToken ct)
            {
                await _semaphore.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    await Task.Delay(1, ct);
                }
                finally
                {
                    _semaphore.Release();
                }
            }

            // The timed wait's result guards the release.
            public async Task LockTakenAsync(TimeSpan timeout)
            {
                var lockTaken = false;
                try
                {
                    lockTaken = await _semaphore.WaitAsync(timeout);
                    if (!lockTaken) return;
                    await Task.Delay(1);
                }
                finally
                {
                    if (lockTaken)
                    {
                        _semaphore.Release();
                    }
                }
            }

            // A flag set after the wait guards the release.
            public async Task<string?> AcquiredFlagAsync(CancellationToken token)
            {
                var acquired = false;
                try
                {
                    await _semaphore.WaitAsync(token);
                    acquired = true;
                    return await Task.FromResult<string?>("done");
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
                finally
                {
                    if (acquired) _semaphore.Release();
                }
            }

            // The timed wait's result, taken before the try, guards the release.
            public async Task DisconnectAsync(CancellationToken ct)
            {
                var acquired = await _semaphore.WaitAsync(TimeSpan.FromSeconds(5), ct);
                try
                {
                    await Task.Delay(1, ct);
                }
                finally
                {
                    if (acquired) _semaphore.Release();
                }
            }

            // The bool guards the whole try.
            public void GuardedTry()
            {
                if (_semaphore.Wait(600))
                {
                    try
                    {
                        Console.WriteLine("inside");
                    }
                    finally
                    {
                        _semaphore.Release();
                    }
                }
            }

            // Retried until acquired, then try.
            public void RetryUntilAcquired()
            {
                while (!_semaphore.Wait(TimeSpan.FromSeconds(10)))
                {
                    Console.WriteLine("still waiting");
                }

                try
                {
                    Console.WriteLine("inside");
                }
                finally
                {
                    _semaphore.Release();
                }
            }

            // A try of its own catches the cancelled wait, and the guarded try comes after.
            public async Task SeparateTryAsync(CancellationToken ct)
            {
                try { await _semaphore.WaitAsync(ct); }
                catch (OperationCanceledException) { return; }
                try
                {
                    await Task.Delay(1, ct);
                }
                finally { _semaphore.Release(); }
            }

            // The finally counts waiters; the release is elsewhere.
            public async Task EnterAsync(CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref _waiting);
                try { await _semaphore.WaitAsync(cancellationToken); }
                finally { Interlocked.Decrement(ref _waiting); }
            }

            public void Exit() => _semaphore.Release();

            // An infinite timeout cannot return false.
            public async Task InfiniteBeforeTryAsync(CancellationToken ct)
            {
                await _semaphore.WaitAsync(Timeout.InfiniteTimeSpan, ct);
                try
                {
                    await Task.Delay(1, ct);
                }
                finally
                {
                    _semaphore.Release();
                }
            }
        }
        """);

    [Fact]
    public Task OtherSemaphoresAndScopes_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Gate
        {
            public Task WaitAsync(CancellationToken ct) => Task.CompletedTask;
            public void Release() { }
        }

        class Other
        {
            private readonly SemaphoreSlim _first = new(1, 1);
            private readonly SemaphoreSlim _second = new(1, 1);
            private readonly Gate _gate = new();

            // The finally releases another semaphore.
            public async Task DifferentSemaphoreAsync(CancellationToken ct)
            {
                await _second.WaitAsync(ct);
                try
                {
                    await _first.WaitAsync(ct);
                    _first.Release();
                }
                finally
                {
                    _second.Release();
                }
            }

            // The same field of another instance.
            public async Task OtherInstanceAsync(Other other, CancellationToken ct)
            {
                await other._first.WaitAsync(ct);
                try
                {
                    await _first.WaitAsync(ct);
                    _first.Release();
                }
                finally
                {
                    other._first.Release();
                }
            }

            // The wait runs in a lambda, not in the try.
            public async Task LambdaAsync(CancellationToken ct)
            {
                await _first.WaitAsync(ct);
                try
                {
                    Func<Task> later = async () => await _second.WaitAsync(ct);
                    await later();
                }
                finally
                {
                    _first.Release();
                }
            }

            // The release runs in a callback, not in the finally.
            public async Task ReleaseInCallbackAsync(CancellationToken ct)
            {
                try
                {
                    await _first.WaitAsync(ct);
                }
                finally
                {
                    ct.Register(() => _first.Release());
                }
            }

            // Not a SemaphoreSlim.
            public async Task CustomGateAsync(CancellationToken ct)
            {
                try
                {
                    await _gate.WaitAsync(ct);
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        """);
}
