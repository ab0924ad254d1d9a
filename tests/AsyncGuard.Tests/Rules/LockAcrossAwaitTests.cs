using System.Threading.Tasks;
using Verify = AsyncGuard.Tests.Verifiers.CSharpAnalyzerVerifier<AsyncGuard.Rules.LockAcrossAwaitAnalyzer>;

namespace AsyncGuard.Tests.Rules;

/// <summary>AGD0005: a thread-affine lock held across await.</summary>
public sealed class LockAcrossAwaitTests
{
    [Fact]
    public Task MonitorEnter_TryFinallyWithAwait_ReportsWithTheAwaitAsAdditionalLocation() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();

            async Task M()
            {
                {|#0:Monitor.Enter(_gate)|};
                try
                {
                    {|#1:await Task.Delay(1)|};
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }
        """,
        Verify.Diagnostic("AGD0005").WithLocation(0).WithLocation(1).WithArguments("Monitor.Enter"));

    [Fact]
    public Task MonitorEnter_LockTakenOverload_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();

            async Task M()
            {
                var taken = false;
                try
                {
                    {|#0:Monitor.Enter(_gate, ref taken)|};
                    {|#1:await Task.Yield()|};
                }
                finally
                {
                    if (taken) Monitor.Exit(_gate);
                }
            }

            async Task<bool> N()
            {
                if ([|Monitor.TryEnter(_gate, 100)|])
                {
                    await Task.Yield();
                    Monitor.Exit(_gate);
                    return true;
                }

                return false;
            }
        }
        """,
        Verify.Diagnostic("AGD0005").WithLocation(0).WithLocation(1).WithArguments("Monitor.Enter"));

    [Fact]
    public Task SpinLockEnter_AwaitForeach_ReportsWithTheAwaitForeachKeywords() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private SpinLock _spin = new(false);

            async Task M(IAsyncEnumerable<int> items)
            {
                var taken = false;
                {|#0:_spin.Enter(ref taken)|};
                {|#1:await foreach|} (var x in items) { }
                if (taken) _spin.Exit();
            }
        }
        """,
        Verify.Diagnostic("AGD0005").WithLocation(0).WithLocation(1).WithArguments("SpinLock.Enter"));

    [Fact]
    public Task ReaderWriterLockSlimMutexSpinLock_HeldAcrossAwait_Report() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();
            private readonly Mutex _mutex = new();
            private SpinLock _spin = new(false);

            async Task Read()
            {
                [|_rw.EnterReadLock()|];
                try { await Task.Yield(); } finally { _rw.ExitReadLock(); }
            }

            async Task Write()
            {
                if (![|_rw.TryEnterWriteLock(100)|]) return;
                await Task.Yield();
                if (_rw.IsWriteLockHeld) _rw.ExitWriteLock();
            }

            async Task Global()
            {
                [|_mutex.WaitOne()|];
                await Task.Yield();
                _mutex.ReleaseMutex();
            }

            async Task Spin()
            {
                var taken = false;
                [|_spin.Enter(ref taken)|];
                await foreach (var x in Items()) { }
                if (taken) _spin.Exit();
            }

            static async System.Collections.Generic.IAsyncEnumerable<int> Items()
            {
                await Task.Yield();
                yield return 1;
            }
        }
        """);

    [Fact]
    public Task ReleaseOnlyOnOnePath_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();

            async Task M(bool quick)
            {
                [|Monitor.Enter(_gate)|];
                if (quick)
                {
                    Monitor.Exit(_gate);
                    return;
                }

                await Task.Yield();
                Monitor.Exit(_gate);
            }
        }
        """);

    [Fact]
    public Task ReleaseBeforeAwait_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();
            private readonly ReaderWriterLockSlim _rw = new();
            private int _count;

            async Task M()
            {
                Monitor.Enter(_gate);
                try { _count++; }
                finally { Monitor.Exit(_gate); }
                await Task.Yield();

                var taken = false;
                try { Monitor.Enter(_gate, ref taken); _count++; }
                finally { if (taken) Monitor.Exit(_gate); }
                await Task.Yield();

                _rw.EnterWriteLock();
                _count++;
                _rw.ExitWriteLock();
                await Task.Yield();
            }

            async Task OtherBranch(bool b)
            {
                if (b)
                {
                    Monitor.Enter(_gate);
                    Monitor.Exit(_gate);
                }
                else
                {
                    await Task.Yield();
                }
            }
        }
        """);

    [Fact]
    public Task AwaitOnlyInNestedLambdaOrBefore_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();

            async Task M()
            {
                await Task.Yield();
                Monitor.Enter(_gate);
                try
                {
                    Func<Task> later = async () => await Task.Yield();
                    _ = later;
                }
                finally { Monitor.Exit(_gate); }
            }
        }
        """);

    [Fact]
    public Task AwaitInNestedFunctionInsideTheLock_Variants_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();

            async Task M()
            {
                await Task.Yield();
                Monitor.Enter(_gate);
                try
                {
                    Func<Task> block = async () => { await Task.Yield(); };
                    Func<Task> anonymous = async delegate { await Task.Yield(); };
                    _ = block;
                    _ = anonymous;

                    async Task Later() => await Task.Yield();
                    _ = (Func<Task>)Later;
                }
                finally { Monitor.Exit(_gate); }
            }
        }
        """);

    [Fact]
    public Task SyncCodeAndSemaphoreSlim_DoNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();
            private readonly SemaphoreSlim _semaphore = new(1, 1);
            private readonly Semaphore _counting = new(1, 1);

            void Sync()
            {
                Monitor.Enter(_gate);
                try { } finally { Monitor.Exit(_gate); }
            }

            async Task Async()
            {
                await _semaphore.WaitAsync();
                try { await Task.Yield(); }
                finally { _semaphore.Release(); }

                _counting.WaitOne();
                await Task.Yield();
                _counting.Release();
            }
        }
        """);

    [Fact]
    public Task LockAcrossAwait_HalfTypedCode_DoesNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                Monitor.{|CS1501:Enter|}();
                Monitor.Enter({|CS0103:missing|});
                await Task.Yield();
                Monitor.{|CS0117:Exitt|}(this);
            }
        }
        """);
}
