using System.Threading.Tasks;
using Verify = AsyncGuard.Tests.Verifiers.CSharpCodeFixVerifier<AsyncGuard.Rules.BlockingHelperAnalyzer, AsyncGuard.CodeFixes.Rules.BlockingHelperCodeFixProvider>;

namespace AsyncGuard.Tests.Rules;

/// <summary>
/// AGD0040 (a synchronous helper of the project that blocks, called from async code). Several
/// shapes are modelled on public code: the AsyncHelper.RunSync bridge, a sync settings loader
/// reading a file, a constructor that waits for its own initialization, a retry helper with
/// Thread.Sleep, a property getter that opens a connection, a ContinueWith-based "async
/// property" (silent).
/// </summary>
public sealed class BlockingHelperTests
{
    // ---- fires ----

    [Fact]
    public Task FileReadThroughTwoHelpers_MessageNamesChainAndCall() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class Settings
        {
            static string ReadConfig(string path) => {|#1:File.ReadAllText(path)|};

            static string LoadSettings() => ReadConfig("app.json");

            async Task<int> M()
            {
                await Task.Yield();
                return {|#0:LoadSettings()|}.Length;
            }
        }
        """,
        Verify.Diagnostic("AGD0040").WithLocation(0).WithLocation(1)
            .WithArguments("LoadSettings", "File.ReadAllText", " (via 'ReadConfig')", "make it async, or offload it with 'await Task.Run(...)'"));

    [Fact]
    public Task RunSyncBridge_CalledFromAsync_NoOffloadOfALambda() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        static class AsyncBridge
        {
            private static readonly TaskFactory Factory = new(CancellationToken.None, TaskCreationOptions.None, TaskContinuationOptions.None, TaskScheduler.Default);

            public static T RunSync<T>(Func<Task<T>> work) => Factory.StartNew(work).Unwrap().{|#1:GetAwaiter().GetResult()|};
        }

        class Orders
        {
            Task<int> CountAsync() => Task.FromResult(3);

            public async Task<int> TotalAsync()
            {
                await Task.Yield();
                var n = {|#0:AsyncBridge.RunSync(() => CountAsync())|};
                return n * 2;
            }
        }
        """,
        Verify.Diagnostic("AGD0040").WithLocation(0).WithLocation(1)
            .WithArguments("RunSync", "GetAwaiter().GetResult()", "", "make it async, or offload it with 'await Task.Run(...)'"));

    [Fact]
    public Task SettingsLoaderWithAsyncTwin_AwaitsTwin() => Verify.VerifyCodeFixAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class Config
        {
            public static string Load(string path)
            {
                using var reader = new StreamReader(path);
                return {|#1:reader.ReadToEnd()|};
            }

            public static async Task<string> LoadAsync(string path)
            {
                using var reader = new StreamReader(path);
                return await reader.ReadToEndAsync();
            }
        }

        class Startup
        {
            async Task<int> RunAsync()
            {
                await Task.Yield();
                // read the configuration
                var text = {|#0:Config.Load("config.json")|}; // trailing
                return text.Length;
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0040").WithLocation(0).WithLocation(1).WithArguments("Load", "StreamReader.ReadToEnd", "", "await 'LoadAsync' instead") },
        """
        using System.IO;
        using System.Threading.Tasks;

        class Config
        {
            public static string Load(string path)
            {
                using var reader = new StreamReader(path);
                return reader.ReadToEnd();
            }

            public static async Task<string> LoadAsync(string path)
            {
                using var reader = new StreamReader(path);
                return await reader.ReadToEndAsync();
            }
        }

        class Startup
        {
            async Task<int> RunAsync()
            {
                await Task.Yield();
                // read the configuration
                var text = await Config.LoadAsync("config.json"); // trailing
                return text.Length;
            }
        }
        """);

    [Fact]
    public Task TwinWithToken_PassesTokenInScope() => Verify.VerifyCodeFixAsync(
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Repo
        {
            public string Read(string path) => File.ReadAllText(path);

            public Task<string> ReadAsync(string path, CancellationToken cancellationToken) => File.ReadAllTextAsync(path, cancellationToken);

            async Task<string> M(CancellationToken cancellationToken)
            {
                await Task.Yield();
                return {|AGD0040:Read("a.txt")|};
            }
        }
        """,
        """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Repo
        {
            public string Read(string path) => File.ReadAllText(path);

            public Task<string> ReadAsync(string path, CancellationToken cancellationToken) => File.ReadAllTextAsync(path, cancellationToken);

            async Task<string> M(CancellationToken cancellationToken)
            {
                await Task.Yield();
                return await ReadAsync("a.txt", cancellationToken);
            }
        }
        """);

    [Fact]
    public Task ConstructorThatWaitsForItsInitialization_Offloads() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading.Tasks;

        class Catalog
        {
            public Catalog()
            {
                InitializeAsync().{|#1:GetAwaiter().GetResult()|};
            }

            private async Task InitializeAsync() => await Task.Delay(100);
        }

        class Shop
        {
            async Task<Catalog> OpenAsync()
            {
                await Task.Yield();
                var catalog = {|#0:new Catalog()|};
                return catalog;
            }
        }
        """,
        new[] { Verify.Diagnostic("AGD0040").WithLocation(0).WithLocation(1).WithArguments("new Catalog()", "GetAwaiter().GetResult()", "", "make it async, or offload it with 'await Task.Run(...)'") },
        """
        using System.Threading.Tasks;

        class Catalog
        {
            public Catalog()
            {
                InitializeAsync().GetAwaiter().GetResult();
            }

            private async Task InitializeAsync() => await Task.Delay(100);
        }

        class Shop
        {
            async Task<Catalog> OpenAsync()
            {
                await Task.Yield();
                var catalog = await Task.Run(() => new Catalog());
                return catalog;
            }
        }
        """);

    [Fact]
    public Task RetryHelperWithSleep_StatementOffloads() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        static class RetryUtility
        {
            public static void Retry(Action action, int attempts)
            {
                for (var i = 0; ; i++)
                {
                    try { action(); return; }
                    catch when (i < attempts) { Thread.Sleep(500); }
                }
            }
        }

        class Sender
        {
            void Send() { }

            async Task FlushAsync()
            {
                await Task.Yield();
                {|AGD0040:RetryUtility.Retry(Send, 3)|};
            }
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        static class RetryUtility
        {
            public static void Retry(Action action, int attempts)
            {
                for (var i = 0; ; i++)
                {
                    try { action(); return; }
                    catch when (i < attempts) { Thread.Sleep(500); }
                }
            }
        }

        class Sender
        {
            void Send() { }

            async Task FlushAsync()
            {
                await Task.Yield();
                await Task.Run(() => RetryUtility.Retry(Send, 3));
            }
        }
        """);

    [Fact]
    public Task PropertyGetterThatOpensConnection_IsReported() => Verify.VerifyAnalyzerAsync(
        """
        using System.Data.Common;
        using System.Threading.Tasks;

        class Store
        {
            private readonly DbConnection _connection;

            public Store(DbConnection connection) => _connection = connection;

            public DbConnection Connection
            {
                get
                {
                    if (_connection.State != System.Data.ConnectionState.Open) {|#1:_connection.Open()|};
                    return _connection;
                }
            }

            async Task<DbCommand> CommandAsync()
            {
                await Task.Yield();
                return {|#0:Connection|}.CreateCommand();
            }
        }
        """,
        Verify.Diagnostic("AGD0040").WithLocation(0).WithLocation(1)
            .WithArguments("Connection", "DbConnection.Open", "", "make it async, or offload it with 'await Task.Run(...)'"));

    [Fact]
    public Task GetterWaitingOnResult_ThroughInstanceMembers() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        class TokenSource
        {
            private Task<string> FetchAsync() => Task.Run(() => "t");

            private string Fetch() => FetchAsync().{|#1:Result|};

            public string Token => Fetch();

            async Task<int> M()
            {
                await Task.Yield();
                return {|#0:Token|}.Length;
            }
        }
        """,
        Verify.Diagnostic("AGD0040").WithLocation(0).WithLocation(1)
            .WithArguments("Token", "Task<T>.Result", " (via 'Fetch')", "make it async, or offload it with 'await Task.Run(...)'"));

    [Fact]
    public Task LocalFunctionThatSleeps_InAsyncMethod() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                await Task.Yield();
                {|AGD0040:Pause()|};

                static void Pause() => Thread.Sleep(100);
            }
        }
        """);

    [Fact]
    public Task ChainedConstructor_IsFollowed() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Client
        {
            public Client(int port) { Thread.Sleep(port); }

            public Client() : this(80) { }
        }

        class C
        {
            async Task M()
            {
                await Task.Yield();
                _ = {|AGD0040:new Client()|};
            }
        }
        """);

    [Fact]
    public Task SealedOverride_TargetIsKnown() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        abstract class Job { public abstract void Run(); }

        sealed class SleepyJob : Job { public override void Run() => Thread.Sleep(10); }

        class C
        {
            async Task M(SleepyJob job)
            {
                await Task.Yield();
                {|AGD0040:job.Run()|};
            }
        }
        """);

    [Fact]
    public Task FixAll_FixesEveryCall() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            static void Pause() => Thread.Sleep(10);

            async Task M()
            {
                await Task.Yield();
                {|AGD0040:Pause()|};
                {|AGD0040:Pause()|};
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            static void Pause() => Thread.Sleep(10);

            async Task M()
            {
                await Task.Yield();
                await Task.Run(() => Pause());
                await Task.Run(() => Pause());
            }
        }
        """);

    [Fact]
    public Task TaskReturningNonAsyncCaller_BecomesAsync() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            static int Compute() { Thread.Sleep(10); return 1; }

            Task<int> M()
            {
                return Task.FromResult({|AGD0040:Compute()|});
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            static int Compute() { Thread.Sleep(10); return 1; }

            async Task<int> M()
            {
                return await Task.Run(() => Compute());
            }
        }
        """);

    // ---- silent ----

    [Fact]
    public Task SilentShapes() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.IO;
        using System.Linq.Expressions;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;

        interface IStore { string Load(); }

        class Base { public virtual void Work() => Thread.Sleep(1); }

        class C
        {
            private readonly object _gate = new();
            private int _count;
            private readonly SemaphoreSlim _semaphore = new(1, 1);

            // offloaded inside the helper
            static Task Offload() => Task.Run(() => Thread.Sleep(10));

            static void StartBackground() { Task.Run(() => Thread.Sleep(10)); }

            // a completed task, a task awaited before... in a sync helper: proven complete
            static int Completed() => Task.FromResult(1).Result;

            static int AfterCheck(Task<int> t) => t.IsCompleted ? t.Result : 0;

            // zero-timeout probe
            bool TryEnter() => _semaphore.Wait(0);

            // in-memory I/O
            static string Echo(byte[] data)
            {
                using var reader = new StreamReader(new MemoryStream(data), Encoding.UTF8);
                return reader.ReadToEnd();
            }

            // a lock around trivial code
            void Increment() { lock (_gate) { _count++; } }

            // recursion without blocking
            static int Loop(int n) => n == 0 ? 0 : Loop2(n - 1);

            static int Loop2(int n) => Loop(n);

            // the helper is async itself: the direct rules report inside it
            static async Task SleepyAsync() { await Task.Yield(); Thread.Sleep(1); }

            static Task<int> NotAwaited() { Thread.Sleep(1); return Task.FromResult(1); }

            // nothing blocks
            static int Add(int a, int b) => a + b;

            async Task M(IStore store, Base b, Task<int> t)
            {
                await Task.Yield();
                await Offload();
                StartBackground();
                _ = Completed();
                _ = AfterCheck(t);
                _ = TryEnter();
                _ = Echo(new byte[1]);
                Increment();
                _ = Loop(3);
                await SleepyAsync();
                await NotAwaited();
                _ = Add(1, 2);

                // unknown targets: interface and virtual calls
                _ = store.Load();
                b.Work();

                // nothing runs
                _ = nameof(Completed);
                Expression<Action> e = () => Pause();

                // a synchronous lambda inside async code is not async context
                Action a = () => Pause();
            }

            static void Pause() => Thread.Sleep(1);

            void SyncCaller() => Pause();
        }
        """);

    [Fact]
    public Task LogHelperOnATextWriter_AndDecompressionOverMemory_AreSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.IO.Compression;
        using System.Threading.Tasks;

        class Tool
        {
            private readonly TextWriter _output;
            private readonly StreamWriter _file;

            public Tool(TextWriter output, StreamWriter file)
            {
                _output = output;
                _file = file;
            }

            // console or log output through a plain TextWriter
            void Log(string message) => _output.WriteLine(message);

            // a StreamWriter writes to its stream: that still counts
            void Save(string line) => {|#1:_file.WriteLine(line)|};

            // decompression of a buffer: in memory all the way
            static byte[] Decompress(byte[] data)
            {
                var output = new MemoryStream();
                using (var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress))
                {
                    gzip.CopyTo(output);
                }

                return output.ToArray();
            }

            async Task RunAsync(byte[] data)
            {
                await Task.Yield();
                Log("start");
                _ = Decompress(data);
                {|#0:Save("x")|};
            }
        }
        """,
        Verify.Diagnostic("AGD0040").WithLocation(0).WithLocation(1)
            .WithArguments("Save", "StreamWriter.WriteLine", "", "make it async, or offload it with 'await Task.Run(...)'"));

    // grpc-dotnet's TryDecompressMessage: a provider's decompression stream over the project's own
    // stream type that reads a ReadOnlySequence<byte>; a stream type of the project that holds
    // another stream still counts.
    [Fact]
    public Task DecompressionOverProjectsOwnMemoryStreamType_IsSilent_StreamHoldingAnotherStreamReports() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Buffers;
        using System.IO;
        using System.Threading.Tasks;

        interface ICompressionProvider { Stream CreateDecompressionStream(Stream stream); }

        sealed class ReadOnlySequenceStream : Stream
        {
            private readonly ReadOnlySequence<byte> _sequence;
            private SequencePosition _position;
            private long _read;
            private Task<int>? _lastReadTask;

            public ReadOnlySequenceStream(ReadOnlySequence<byte> sequence) { _sequence = sequence; _position = sequence.Start; }
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => _sequence.Length;
            public override long Position { get => _read; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => 0;
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        sealed class CountingStream : Stream
        {
            private readonly Stream _inner;
            private long _count;

            public CountingStream(Stream inner) => _inner = inner;
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => _inner.Length;
            public override long Position { get => _count; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        class Reader
        {
            static ReadOnlySequence<byte> Decompress(ICompressionProvider provider, ReadOnlySequence<byte> data)
            {
                var output = new MemoryStream();
                using (var decompressor = provider.CreateDecompressionStream(new ReadOnlySequenceStream(data)))
                {
                    decompressor.CopyTo(output);
                }

                return new ReadOnlySequence<byte>(output.GetBuffer(), 0, (int)output.Length);
            }

            static byte[] Unpack(ICompressionProvider provider, string path)
            {
                var output = new MemoryStream();
                using var decompressor = provider.CreateDecompressionStream(new CountingStream(File.OpenRead(path)));
                {|#1:decompressor.CopyTo(output)|};
                return output.ToArray();
            }

            async Task ReadAsync(ICompressionProvider provider, ReadOnlySequence<byte> data, string path)
            {
                await Task.Yield();
                _ = Decompress(provider, data);
                _ = {|#0:Unpack(provider, path)|};
            }
        }
        """,
        Verify.Diagnostic("AGD0040").WithLocation(0).WithLocation(1)
            .WithArguments("Unpack", "Stream.CopyTo", "", "make it async, or offload it with 'await Task.Run(...)'"));

    // jellyfin's ItemDataProvider.EnsureLoaded, LibraryManager.RootFolder and the device id: a load
    // that fills a kept field runs once per object; later calls read memory. A cache that is reset,
    // and the save that runs on every call after EnsureLoaded, still count.
    [Fact]
    public Task LoadThatFillsAKeptFieldOnce_IsSilent_ResetCacheAndPerCallSaveReport() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class Store
        {
            private readonly object _gate = new();
            private string[]? _items;
            private string? _root;
            private string? _id;
            private string? _settings;

            private void EnsureLoaded()
            {
                if (_items is not null)
                {
                    return;
                }

                _items = File.ReadAllLines("items.txt");
            }

            private string Root
            {
                get
                {
                    if (_root is null)
                    {
                        lock (_gate)
                        {
                            _root ??= File.ReadAllText("root.txt");
                        }
                    }

                    return _root;
                }
            }

            private string Id => _id ??= File.ReadAllText("device.txt");

            private string Settings
            {
                get
                {
                    if (_settings == null) _settings = {|#2:File.ReadAllText("settings.txt")|};
                    return _settings;
                }
            }

            public void Reload() => _settings = null;

            private string[] GetAll()
            {
                lock (_gate)
                {
                    EnsureLoaded();
                    return _items!;
                }
            }

            private void Add(string item)
            {
                EnsureLoaded();
                {|#3:File.WriteAllLines("items.txt", new[] { item })|};
            }

            async Task<int> RunAsync()
            {
                await Task.Yield();
                var count = GetAll().Length + Root.Length + Id.Length;
                count += {|#0:Settings|}.Length;
                {|#1:Add("x")|};
                return count;
            }
        }
        """,
        Verify.Diagnostic("AGD0040").WithLocation(0).WithLocation(2)
            .WithArguments("Settings", "File.ReadAllText", "", "make it async, or offload it with 'await Task.Run(...)'"),
        Verify.Diagnostic("AGD0040").WithLocation(1).WithLocation(3)
            .WithArguments("Add", "File.WriteAllLines", "", "make it async, or offload it with 'await Task.Run(...)'"));

    [Fact]
    public Task IoOnAParameter_IsTheCallersBusiness() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class Credentials
        {
            static string ParseFirstLine(TextReader reader) => reader.ReadLine() ?? "";

            static string FromText(string text)
            {
                using var reader = new StringReader(text);
                return ParseFirstLine(reader);
            }

            static string FromFile(string path)
            {
                using var reader = new StreamReader(path);
                return {|#1:reader.ReadLine()|} ?? "";
            }

            async Task<int> ConnectAsync(string text, string path)
            {
                await Task.Yield();
                var a = FromText(text);
                var b = {|#0:FromFile(path)|};
                return a.Length + b.Length;
            }
        }
        """,
        Verify.Diagnostic("AGD0040").WithLocation(0).WithLocation(1)
            .WithArguments("FromFile", "StreamReader.ReadLine", "", "make it async, or offload it with 'await Task.Run(...)'"));

    [Fact]
    public Task ProjectsOwnOverrideOfABlockingApi_IsReadAsAHelper() => Verify.VerifyAnalyzerAsync(
        """
        using System.Data;
        using System.Data.Common;
        using System.Threading;
        using System.Threading.Tasks;

        abstract class RecordingConnection : DbConnection
        {
            public int Opened;

            public override void Open() => Opened++;
        }

        abstract class SlowConnection : DbConnection
        {
            public override void Open() => Thread.Sleep(100);
        }

        class Tests
        {
            static void Enlist(RecordingConnection connection) => connection.Open();

            static void Connect(SlowConnection connection) => connection.Open();

            async Task M(RecordingConnection recording, SlowConnection slow)
            {
                await Task.Yield();
                Enlist(recording);
                Connect(slow);
            }
        }
        """);

    [Fact]
    public Task DualPath_CallInTheSyncBranch_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class Writer
        {
            private readonly Stream _stream;

            public Writer(Stream stream) => _stream = stream;

            void FlushCore() => _stream.Flush();

            async Task FlushCoreAsync() => await _stream.FlushAsync();

            public async ValueTask FlushAsync(bool async)
            {
                if (async)
                {
                    await FlushCoreAsync();
                }
                else
                {
                    FlushCore();
                }
            }
        }
        """);

    [Fact]
    public Task TwinBuiltOnTheHelper_IsSilentAndNotOfferedAsFix() => Verify.VerifyCodeFixAsync(
        """
        using System.IO;
        using System.Threading.Tasks;

        class Config
        {
            public static string Load() => File.ReadAllText("a");

            // a fake async twin: awaiting it would still block
            public static Task<string> LoadAsync() => Task.FromResult(Load());

            async Task<int> M()
            {
                await Task.Yield();
                return {|AGD0040:Load()|}.Length;
            }
        }
        """,
        """
        using System.IO;
        using System.Threading.Tasks;

        class Config
        {
            public static string Load() => File.ReadAllText("a");

            // a fake async twin: awaiting it would still block
            public static Task<string> LoadAsync() => Task.FromResult(Load());

            async Task<int> M()
            {
                await Task.Yield();
                return (await Task.Run(() => Load())).Length;
            }
        }
        """);

    [Fact]
    public Task TooDeep_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            static void A() => B();
            static void B() => D();
            static void D() => E();
            static void E() => F();
            static void F() => Thread.Sleep(1);

            async Task M()
            {
                await Task.Yield();
                A();
                {|AGD0040:B()|};
            }
        }
        """);

    [Fact]
    public Task CycleWithBlockingBranch_TerminatesAndReports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            static void Ping(int n) { if (n > 0) Pong(n - 1); }
            static void Pong(int n) { Ping(n); {|#1:Thread.Sleep(1)|}; }

            async Task M()
            {
                await Task.Yield();
                {|#0:Ping(3)|};
                {|#2:Pong(3)|};
            }
        }
        """,
        Verify.Diagnostic("AGD0040").WithLocation(0).WithLocation(1).WithArguments("Ping", "Thread.Sleep", " (via 'Pong')", "make it async, or offload it with 'await Task.Run(...)'"),
        Verify.Diagnostic("AGD0040").WithLocation(2).WithLocation(1).WithArguments("Pong", "Thread.Sleep", "", "make it async, or offload it with 'await Task.Run(...)'"));

    [Fact]
    public Task SemaphoreTakenAsMutexAroundShortSection_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        sealed class Connection
        {
            private readonly SemaphoreSlim _gate = new(1, 1);
            private Exception? _error;

            // guards the error against a concurrent dispose
            public void SignalDisconnected(Exception error)
            {
                _gate.Wait();
                try
                {
                    _error = error;
                }
                finally
                {
                    _gate.Release();
                }
            }

            public async Task ReadAsync()
            {
                await Task.Yield();
                SignalDisconnected(new InvalidOperationException());
            }
        }
        """);

    [Fact]
    public Task SemaphoreWaitWithoutGuardedSection_Reports() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        sealed class Throttle
        {
            private readonly SemaphoreSlim _slots = new(0);

            public void TakeSlot() => {|#1:_slots.Wait()|};

            public async Task RunAsync()
            {
                await Task.Yield();
                {|#0:TakeSlot()|};
            }
        }
        """,
        Verify.Diagnostic("AGD0040").WithLocation(0).WithLocation(1).WithArguments("TakeSlot", "SemaphoreSlim.Wait", "", "make it async, or offload it with 'await Task.Run(...)'"));

    [Fact]
    public Task DisposeOfSyncWrapper_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.IO;
        using System.Threading.Tasks;

        sealed class Holder : IDisposable
        {
            private readonly Stream _stream = new MemoryStream();

            public void Dispose() => _stream.Dispose();

            public void Release() { _stream.Close(); }
        }

        class C
        {
            async Task M()
            {
                await Task.Yield();
                var h = new Holder();
                h.Release();
                h.Dispose();
            }
        }
        """);

    [Fact]
    public Task InsideTheTwin_CallOfTheSyncForm_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            static int Compute() { Thread.Sleep(10); return 1; }

            static async Task<int> ComputeAsync()
            {
                await Task.Yield();
                return Compute();
            }
        }
        """);

    [Fact]
    public Task PropertyWriteAndIncrement_AreSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private int _value;

            int Value
            {
                get { Thread.Sleep(1); return _value; }
                set => _value = value;
            }

            async Task M()
            {
                await Task.Yield();
                Value = 3;
                Value++;
            }
        }
        """);

    [Fact]
    public Task HelperInAnotherFileOfTheCompilation_ContinuationInALambda_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading.Tasks;

        class AsyncProperty<T>
        {
            private readonly Func<Task<T>> _getter;
            private T _value = default!;

            public AsyncProperty(Func<Task<T>> getter) => _getter = getter;

            public T Value
            {
                get
                {
                    _getter().ContinueWith(t => _value = t.Result);
                    return _value;
                }
            }

            async Task<T> M()
            {
                await Task.Yield();
                return Value;
            }
        }
        """);

    // ---- broken code ----

    [Fact]
    public Task HalfTypedCode_DoesNotThrow() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            static int Broken() { return {|CS0103:Missing|}().Result; }

            static void Pause() => Thread.Sleep(1);

            async Task M()
            {
                await Task.Yield();
                Broken();
                {|CS0103:Undefined|}();
                {|AGD0040:Pause()|};
            }
        }
        """);
}
