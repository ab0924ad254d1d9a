using Microsoft.CodeAnalysis.Testing;
using System.Threading.Tasks;
using Verify = AsyncGuard.Tests.Verifiers.CSharpCodeFixVerifier<AsyncGuard.Rules.BlockingCallAnalyzer, AsyncGuard.CodeFixes.Rules.BlockingCallCodeFixProvider>;

namespace AsyncGuard.Tests.Rules;

/// <summary>AGD0002 (blocking call in async code) and AGD0006 (an async overload exists).</summary>
public sealed class BlockingCallTests
{
    [Fact]
    public Task FileReadAllText_InAsyncMethod_AwaitsTwinWithToken() => Verify.VerifyCodeFixAsync(
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<string> M(string path, CancellationToken cancellationToken)
            {
                await Task.Yield();
                // load the settings
                var text = {|AGD0002:File.ReadAllText(path)|}; // trailing
                return text;
            }
        }
        """,
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<string> M(string path, CancellationToken cancellationToken)
            {
                await Task.Yield();
                // load the settings
                var text = await File.ReadAllTextAsync(path, cancellationToken); // trailing
                return text;
            }
        }
        """);

    [Fact]
    public Task BlockingCall_MessageNamesCallAndTwin() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Stream s) { await Task.Yield(); {|#0:s.Flush()|}; }
        }
        """,
        Verify.Diagnostic("AGD0002").WithLocation(0).WithArguments("Stream.Flush", "await 'Stream.FlushAsync' instead"));

    [Fact]
    public Task CallAsReceiver_FixParenthesizes() => Verify.VerifyCodeFixAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(string p)
            {
                await Task.Yield();
                return {|AGD0002:File.ReadAllText(p)|}.Length;
            }
        }
        """,
        """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(string p)
            {
                await Task.Yield();
                return (await File.ReadAllTextAsync(p)).Length;
            }
        }
        """);

    [Fact]
    public Task StreamRead_ArrayForm_KeepsArgumentsAndConfigureAwait() => Verify.VerifyCodeFixAsync(
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Stream stream, byte[] buffer, CancellationToken ct)
            {
                await Task.Delay(1, ct).ConfigureAwait(false);
                return {|AGD0002:stream.Read(buffer, 0, buffer.Length)|};
            }
        }
        """,
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Stream stream, byte[] buffer, CancellationToken ct)
            {
                await Task.Delay(1, ct).ConfigureAwait(false);
                return await stream.ReadAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false);
            }
        }
        """);

    [Fact]
    public Task StreamRead_SpanForm_ReportsWithoutFix() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Stream stream)
            {
                await Task.Yield();
                Span<byte> buffer = stackalloc byte[16];
                {|AGD0002:stream.Read(buffer)|};
            }
        }
        """,
        """
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Stream stream)
            {
                await Task.Yield();
                Span<byte> buffer = stackalloc byte[16];
                {|AGD0002:stream.Read(buffer)|};
            }
        }
        """);

    [Fact]
    public Task SemaphoreWait_NonAsyncTaskMethod_BecomesAsync() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly SemaphoreSlim _gate = new(1);

            Task EnterAsync()
            {
                {|AGD0002:_gate.Wait()|};
                return Task.CompletedTask;
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly SemaphoreSlim _gate = new(1);

            async Task EnterAsync()
            {
                await _gate.WaitAsync();
            }
        }
        """);

    [Fact]
    public Task TwoCalls_FixAllAwaitsBoth() => Verify.VerifyCodeFixAsync(
        """
        using System.Diagnostics;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Process process, TextReader reader, CancellationToken token)
            {
                await Task.Yield();
                var output = {|AGD0002:reader.ReadToEnd()|};
                {|AGD0002:process.WaitForExit()|};
            }
        }
        """,
        """
        using System.Diagnostics;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Process process, TextReader reader, CancellationToken token)
            {
                await Task.Yield();
                var output = await reader.ReadToEndAsync(token);
                await process.WaitForExitAsync(token);
            }
        }
        """);

    [Fact]
    public Task OmittedOptionalArgument_TokenPassedByName() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Repo
        {
            public int Load(int id, bool cache = true) => id;
            public Task<int> LoadAsync(int id, bool cache = true, CancellationToken cancellationToken = default) => Task.FromResult(id);
        }

        class C
        {
            async Task<int> M(Repo repo, CancellationToken ct)
            {
                await Task.Yield();
                return {|AGD0006:repo.Load(1)|};
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Repo
        {
            public int Load(int id, bool cache = true) => id;
            public Task<int> LoadAsync(int id, bool cache = true, CancellationToken cancellationToken = default) => Task.FromResult(id);
        }

        class C
        {
            async Task<int> M(Repo repo, CancellationToken ct)
            {
                await Task.Yield();
                return await repo.LoadAsync(1, cancellationToken: ct);
            }
        }
        """);

    [Fact]
    public Task UserTypeTwin_ReportsPreferAsyncOverloadAtInfo() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class Cache
        {
            public string Get(string key) => key;
            public ValueTask<string> GetAsync(string key) => new(key);
            public string Peek(string key) => key;
            public Task<int> PeekAsync(string key) => Task.FromResult(0);
        }

        class C
        {
            async Task M(Cache cache)
            {
                await Task.Yield();
                _ = {|#0:cache.Get("a")|};
                _ = cache.Peek("b"); // the twin's result type differs
            }
        }
        """,
        Verify.Diagnostic("AGD0006").WithLocation(0).WithArguments("Cache.Get", "Cache.GetAsync"));

    [Fact]
    public Task InheritedTwinAndGenericMethod_AreFound() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class Store
        {
            public T Read<T>(string key) => default!;
            public Task<T> ReadAsync<T>(string key) => Task.FromResult<T>(default!);
        }

        class FileStore : Store { }

        class C
        {
            async Task<int> M(FileStore store)
            {
                await Task.Yield();
                return {|AGD0006:store.Read<int>("k")|};
            }
        }
        """,
        """
        using System.Threading.Tasks;

        class Store
        {
            public T Read<T>(string key) => default!;
            public Task<T> ReadAsync<T>(string key) => Task.FromResult<T>(default!);
        }

        class FileStore : Store { }

        class C
        {
            async Task<int> M(FileStore store)
            {
                await Task.Yield();
                return await store.ReadAsync<int>("k");
            }
        }
        """);

    [Fact]
    public Task CuratedWait_OffloadsWithTaskRun() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(BlockingCollection<int> queue, ManualResetEventSlim ready, Thread worker)
            {
                await Task.Yield();
                {|AGD0002:ready.Wait()|};
                {|AGD0002:worker.Join()|};
                return {|AGD0002:queue.Take()|} + 1;
            }
        }
        """,
        """
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(BlockingCollection<int> queue, ManualResetEventSlim ready, Thread worker)
            {
                await Task.Yield();
                await Task.Run(() => ready.Wait());
                await Task.Run(() => worker.Join());
                return await Task.Run(() => queue.Take()) + 1;
            }
        }
        """);

    [Fact]
    public Task WholeFileIo_NetStandard20WithoutTwin_OffloadsWithTaskRun() => new Verify.Test
    {
        // netstandard2.0 has no File.ReadAllTextAsync: the read still blocks, so it is offloaded.
        ReferenceAssemblies = ReferenceAssemblies.NetStandard.NetStandard20,
        TestCode = """
            using System.IO;
            using System.Threading.Tasks;

            class C
            {
                async Task<string> Load(string path)
                {
                    await Task.Yield();
                    {|#0:File.WriteAllText(path + ".bak", "")|};
                    return {|#1:File.ReadAllText(path)|};
                }

                string Sync(string path) => File.ReadAllText(path);
            }
            """,
        ExpectedDiagnostics =
        {
            Verify.Diagnostic("AGD0002").WithLocation(0).WithArguments("File.WriteAllText", "it has no async form: offload it with 'await Task.Run(...)'"),
            Verify.Diagnostic("AGD0002").WithLocation(1).WithArguments("File.ReadAllText", "it has no async form: offload it with 'await Task.Run(...)'"),
        },
        FixedCode = """
            using System.IO;
            using System.Threading.Tasks;

            class C
            {
                async Task<string> Load(string path)
                {
                    await Task.Yield();
                    await Task.Run(() => File.WriteAllText(path + ".bak", ""));
                    return await Task.Run(() => File.ReadAllText(path));
                }

                string Sync(string path) => File.ReadAllText(path);
            }
            """,
    }.RunAsync();

    [Fact]
    public Task WholeFileIo_NetStandard20_OtherFileMembersStaySilent() => new Verify.Test
    {
        ReferenceAssemblies = ReferenceAssemblies.NetStandard.NetStandard20,
        TestCode = """
            using System.IO;
            using System.Threading.Tasks;

            class C
            {
                async Task<bool> M(string path)
                {
                    await Task.Yield();
                    return File.Exists(path);
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task CuratedWait_MessageSaysNoAsyncForm() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(WaitHandle handle) { await Task.Yield(); {|#0:handle.WaitOne()|}; }
        }
        """,
        Verify.Diagnostic("AGD0002").WithLocation(0).WithArguments("WaitHandle.WaitOne", "it has no async form: offload it with 'await Task.Run(...)'"));

    [Fact]
    public Task CuratedWait_MonitorWaitAndRefArgumentAndLock_NoOffloadFix() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _sync = new();

            async Task M(WaitHandle[] handles)
            {
                await Task.Yield();
                lock (_sync)
                {
                    {|AGD0002:Monitor.Wait(_sync)|};
                    {|AGD0002:WaitHandle.WaitAll(handles)|};
                }
                {|AGD0002:Monitor.Wait(_sync)|};
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _sync = new();

            async Task M(WaitHandle[] handles)
            {
                await Task.Yield();
                lock (_sync)
                {
                    {|AGD0002:Monitor.Wait(_sync)|};
                    {|AGD0002:WaitHandle.WaitAll(handles)|};
                }
                {|AGD0002:Monitor.Wait(_sync)|};
            }
        }
        """);

    [Fact]
    public Task Offload_StructThis_NotOffered() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        struct S
        {
            private CountdownEvent _done;

            public async Task M()
            {
                await Task.Yield();
                {|AGD0002:_done.Wait()|};
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        struct S
        {
            private CountdownEvent _done;

            public async Task M()
            {
                await Task.Yield();
                {|AGD0002:_done.Wait()|};
            }
        }
        """);

    [Fact]
    public Task SyncCode_AndOffloadedLambda_AreSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            string Sync(string p) => File.ReadAllText(p);

            async Task<string> Offloaded(string p, ManualResetEventSlim e)
            {
                await Task.Run(() => e.Wait());
                return await Task.Run(() => File.ReadAllText(p));
            }
        }
        """);

    [Fact]
    public Task InMemoryReceivers_AreSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Text;
        using System.Threading.Tasks;

        class C
        {
            async Task<string> M(byte[] data)
            {
                await Task.Yield();
                var memory = new MemoryStream();
                memory.Write(data, 0, data.Length);
                Stream copy = new MemoryStream(data);
                copy.Flush();
                using var reader = new StreamReader(new MemoryStream(data), Encoding.UTF8);
                var text = reader.ReadToEnd();
                var writer = new StringWriter();
                writer.WriteLine(text);
                new StringReader(text).ReadLine();
                System.Console.Out.WriteLine(text);
                return writer.ToString();
            }
        }
        """);

    [Fact]
    public Task PreciseSilences_ZeroTimeoutCancelDisposeXml() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using System.Xml;

        class C
        {
            async Task M(SemaphoreSlim gate, CancellationTokenSource cts, FileStream file, XmlReader xml, WaitHandle handle)
            {
                await Task.Yield();
                if (gate.Wait(0)) gate.Release();
                if (gate.Wait(TimeSpan.Zero)) gate.Release();
                handle.WaitOne(0);
                cts.Cancel();
                xml.Read();
                file.Dispose();
            }
        }
        """);

    [Fact]
    public Task TwinNotUsableFromTheCall_InaccessibleOrConstraintViolated_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class Repo
        {
            public int Load() => 0;
            private Task<int> LoadAsync() => Task.FromResult(0);

            public T Get<T>() => default!;
            public Task<T> GetAsync<T>() where T : class => Task.FromResult<T>(null!);

            public T Make<T>() => default!;
            public Task<T> MakeAsync<T>() where T : new() => Task.FromResult(new T());
        }

        abstract class Shape { }

        class C
        {
            async Task<int> M(Repo repo)
            {
                await Task.Yield();
                repo.Make<Shape>();
                return repo.Load() + repo.Get<int>();
            }
        }
        """);

    [Fact]
    public Task TwinUsableFromTheCall_ConstraintMet_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class Repo
        {
            public T Get<T>() => default!;
            public Task<T> GetAsync<T>() where T : class => Task.FromResult<T>(null!);

            internal int Load() => 0;
            internal Task<int> LoadAsync() => Task.FromResult(0);
        }

        class C
        {
            async Task<string> M(Repo repo)
            {
                await Task.Yield();
                var n = {|AGD0006:repo.Load()|};
                return {|AGD0006:repo.Get<string>()|} + n;
            }
        }
        """);

    private const string QueryExtensions = """

        namespace Data
        {
            public static class QueryableAsync
            {
                public static Task<List<T>> ToListAsync<T>(this IQueryable<T> source, CancellationToken cancellationToken = default) => Task.FromResult(source.ToList());
                public static Task<int> CountAsync<T>(this IQueryable<T> source, CancellationToken cancellationToken = default) => Task.FromResult(source.Count());
            }

            public sealed class Batch { public Task SendAsync() => Task.CompletedTask; }

            public static class BatchExtensions { public static void Send(this Batch batch) { } }
        }
        """;

    [Fact]
    public Task SyncExtension_QueryProviderOrInstanceTwin_ReportsAGD0006AndFixes() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Data;

        class C
        {
            async Task<int> M(IQueryable<int> query, Batch batch, CancellationToken ct)
            {
                await Task.Yield();
                var rows = {|#0:query.ToList()|};
                {|#1:batch.Send()|};
                return rows.Count;
            }
        }
        """ + QueryExtensions,
        new[]
        {
            Verify.Diagnostic("AGD0006").WithLocation(0).WithArguments("Enumerable.ToList", "QueryableAsync.ToListAsync"),
            Verify.Diagnostic("AGD0006").WithLocation(1).WithArguments("BatchExtensions.Send", "Batch.SendAsync"),
        },
        """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Data;

        class C
        {
            async Task<int> M(IQueryable<int> query, Batch batch, CancellationToken ct)
            {
                await Task.Yield();
                var rows = await query.ToListAsync(ct);
                await batch.SendAsync();
                return rows.Count;
            }
        }
        """ + QueryExtensions);

    [Fact]
    public Task SyncExtension_LinqToObjects_QueryableTwinDoesNotBind_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Data;

        class C
        {
            async Task<int> M(List<int> list, IEnumerable<int> items, int[] array, CancellationToken ct)
            {
                await Task.Yield();
                return list.ToList().Count + items.Count() + array.ToList().Count + list.Where(x => x > 0).Count();
            }

            int Sync(IQueryable<int> query) => query.ToList().Count;
        }
        """ + QueryExtensions);

    [Fact]
    public Task ZeroTimeout_ThroughLocalOrReadonlyField_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly int _probe = 0;
            private readonly TimeSpan _now = TimeSpan.Zero;

            async Task M(SemaphoreSlim gate, WaitHandle handle)
            {
                await Task.Yield();
                var timeout = 0;
                if (gate.Wait(timeout)) gate.Release();
                if (gate.Wait(_probe)) gate.Release();
                if (gate.Wait(this._now)) gate.Release();
                handle.WaitOne(timeout);
            }
        }
        """);

    [Fact]
    public Task ZeroTimeout_LocalOrFieldWrittenElsewhere_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly int _timeout = 0;
            private int _mutable = 0;

            C(int timeout) { _timeout = timeout; }

            async Task M(SemaphoreSlim gate, WaitHandle handle, int configured)
            {
                await Task.Yield();
                var timeout = 0;
                timeout = configured;
                {|AGD0002:gate.Wait(timeout)|};
                {|AGD0002:gate.Wait(_timeout)|};
                {|AGD0002:gate.Wait(_mutable)|};
                var wait = 0;
                Bump(ref wait);
                {|AGD0002:handle.WaitOne(wait)|};
            }

            static void Bump(ref int value) => value++;
        }
        """);

    [Fact]
    public Task EntityFrameworkStubs_AddAndCreateDbContext_AreSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Microsoft.EntityFrameworkCore
        {
            public class DbSet<T>
            {
                public void Add(T item) { }
                public ValueTask AddAsync(T item, CancellationToken cancellationToken = default) => default;
                public void AddRange(IEnumerable<T> items) { }
                public Task AddRangeAsync(IEnumerable<T> items, CancellationToken cancellationToken = default) => Task.CompletedTask;
            }

            public interface IDbContextFactory<T>
            {
                T CreateDbContext();
                Task<T> CreateDbContextAsync(CancellationToken cancellationToken = default);
            }
        }

        namespace App
        {
            using Microsoft.EntityFrameworkCore;

            class C
            {
                async Task M(DbSet<string> set, IDbContextFactory<object> factory, CancellationToken ct)
                {
                    await Task.Yield();
                    set.Add("a");
                    set.AddRange(new[] { "b" });
                    var context = factory.CreateDbContext();
                }
            }
        }
        """);

    [Fact]
    public Task TestFrameworkAssert_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        namespace NUnit.Framework
        {
            public static class Assert
            {
                public static void That(bool condition) { }
                public static Task ThatAsync(bool condition) => Task.CompletedTask;
            }
        }

        namespace Tests
        {
            using NUnit.Framework;

            class T
            {
                async Task Check() { await Task.Yield(); Assert.That(true); }
            }
        }
        """);

    [Fact]
    public Task Recursion_TwinImplementedWithSyncForm_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Wrapper
        {
            private readonly Stream _inner = Stream.Null;

            public void Flush() => _inner.Flush();

            public Task FlushAsync(CancellationToken ct)
            {
                Flush();
                _inner.Flush();
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task DualPath_SyncBranchBesideAwaitedTwin_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> ReadCoreAsync(Stream s, byte[] b, bool useAsync, CancellationToken ct)
            {
                int n;
                if (useAsync)
                {
                    n = await s.ReadAsync(b, 0, b.Length, ct);
                }
                else
                {
                    n = s.Read(b, 0, b.Length);
                }

                return useAsync ? await s.ReadAsync(b, 0, n, ct) : s.Read(b, 0, n);
            }
        }
        """);

    [Fact]
    public Task Options_ExcludedMethodsAndExtraBlocking() => new Verify.Test
    {
        TestCode = """
            using System.IO;
            using System.Threading.Tasks;

            namespace Legacy
            {
                public static class Native
                {
                    public static int Poll(int handle) => handle;
                }
            }

            class C
            {
                async Task M(string p, Stream s)
                {
                    await Task.Yield();
                    File.ReadAllText(p);
                    File.WriteAllText(p, "x");
                    s.Flush();
                    {|AGD0002:Legacy.Native.Poll(1)|};
                }
            }
            """,
        FixedCode = """
            using System.IO;
            using System.Threading.Tasks;

            namespace Legacy
            {
                public static class Native
                {
                    public static int Poll(int handle) => handle;
                }
            }

            class C
            {
                async Task M(string p, Stream s)
                {
                    await Task.Yield();
                    File.ReadAllText(p);
                    File.WriteAllText(p, "x");
                    s.Flush();
                    await Task.Run(() => Legacy.Native.Poll(1));
                }
            }
            """,
        EditorConfig = """
            asyncguard.AGD0002.excluded_methods = M:System.IO.File.*, M:System.IO.Stream.Flush
            asyncguard.AGD0002.extra_blocking_methods = T:Legacy.Native
            """,
    }.RunAsync();

    [Fact]
    public Task ConditionalAccess_ReportsWithoutFix() => Verify.VerifyCodeFixAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task M(TextReader? reader)
            {
                await Task.Yield();
                var line = reader?{|AGD0002:.ReadLine()|};
            }
        }
        """,
        """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task M(TextReader? reader)
            {
                await Task.Yield();
                var line = reader?{|AGD0002:.ReadLine()|};
            }
        }
        """);

    [Fact]
    public Task AsyncLambdaAndLocalFunction_AreAsyncContext() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            void M(string p)
            {
                Func<Task<string>> f = async () => {|AGD0002:File.ReadAllText(p)|};
                async Task Local() { await Task.Yield(); File.Delete(p); {|AGD0002:File.WriteAllText(p, "")|}; }
            }
        }
        """,
        """
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            void M(string p)
            {
                Func<Task<string>> f = async () => await File.ReadAllTextAsync(p);
                async Task Local() { await Task.Yield(); File.Delete(p); await File.WriteAllTextAsync(p, ""); }
            }
        }
        """);

    [Fact]
    public Task ExtensionMethodTwin_InSameStaticClass_IsAwaited() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Blob { }

        static class BlobExtensions
        {
            public static byte[] Download(this Blob blob) => new byte[0];
            public static Task<byte[]> DownloadAsync(this Blob blob, CancellationToken cancellationToken = default) => Task.FromResult(new byte[0]);
        }

        class C
        {
            async Task<int> M(Blob blob, CancellationToken ct)
            {
                await Task.Yield();
                return {|AGD0006:blob.Download()|}.Length;
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Blob { }

        static class BlobExtensions
        {
            public static byte[] Download(this Blob blob) => new byte[0];
            public static Task<byte[]> DownloadAsync(this Blob blob, CancellationToken cancellationToken = default) => Task.FromResult(new byte[0]);
        }

        class C
        {
            async Task<int> M(Blob blob, CancellationToken ct)
            {
                await Task.Yield();
                return (await blob.DownloadAsync(ct)).Length;
            }
        }
        """);

    [Fact]
    public Task HalfTypedCode_DoesNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Stream s)
            {
                await Task.Yield();
                s.{|CS1501:Read|}();
                {|CS0103:Missing|}.ReadAllText("x");
                File.{|CS0117:ReadAllTextt|}("x");
            }
        }
        """);

    // ---- AGD0006: twins that do something else (issue 13, section 3) ----

    [Fact]
    public Task OwnTwinBuiltOnTheSyncMethod_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class CallContext
        {
            internal async Task ProcessHandlerErrorAsync(Exception ex)
            {
                await Task.Delay(1);
                ProcessHandlerError(ex);
            }

            internal async Task HandleAsync(Exception ex)
            {
                await Task.Yield();
                ProcessHandlerError(ex);
                {|AGD0006:Log(ex)|};
            }

            private void ProcessHandlerError(Exception ex) { }

            internal void Log(Exception ex) { }

            internal Task LogAsync(Exception ex) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task InsideTheTwinsCore_DoesNotReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class Store
        {
            public Task<int> LoadAsync() => LoadAsyncCore();

            private async Task<int> LoadAsyncCore()
            {
                await Task.Yield();
                return Load();
            }

            public int Load() => 1;

            private async Task<int> Other()
            {
                await Task.Yield();
                return {|AGD0006:Load()|};
            }
        }
        """);
}
