using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncGuard;

/// <summary>
/// The APIs that block a thread, resolved once per compilation: the call table (types whose
/// synchronous members do real I/O or wait, so their async twins matter), the curated blocking
/// primitives with no twin, the types whose twins are not worth it, the in-memory receivers;
/// with the one answer to "does this call block, and why?" (<see cref="Blocks"/>).
/// </summary>
internal sealed class BlockingApis
{
    // Types whose synchronous members do real I/O or wait: their twins are reported as AGD0002.
    private static readonly string[] BlockingTypeNames =
    {
        "System.IO.Stream", "System.IO.TextReader", "System.IO.TextWriter", "System.IO.File",
        "System.IO.BinaryReader", "System.IO.BinaryWriter",
        "System.Net.Http.HttpClient", "System.Net.Http.HttpMessageInvoker", "System.Net.Http.HttpContent",
        "System.Data.Common.DbCommand", "System.Data.Common.DbConnection", "System.Data.Common.DbDataReader",
        "System.Data.Common.DbTransaction", "System.Data.Common.DbBatch",
        "System.Threading.SemaphoreSlim", "System.Diagnostics.Process",
        "System.Net.Sockets.Socket", "System.Net.Sockets.TcpClient", "System.Net.Sockets.TcpListener",
        "System.Net.Sockets.UdpClient", "System.Net.Dns", "System.Net.NetworkInformation.Ping",
        "System.Text.Json.JsonSerializer", "System.IO.Pipelines.PipeReader",
    };

    // The wait table: curated blocking primitives with no async twin, (type, method names).
    private static readonly (string Type, string[] Methods)[] CuratedWaits =
    {
        ("System.Threading.WaitHandle", new[] { "WaitOne", "WaitAll", "WaitAny", "SignalAndWait" }),
        ("System.Threading.ManualResetEventSlim", new[] { "Wait" }),
        ("System.Threading.CountdownEvent", new[] { "Wait" }),
        ("System.Threading.Barrier", new[] { "SignalAndWait" }),
        ("System.Threading.Thread", new[] { "Join" }),
        ("System.Collections.Concurrent.BlockingCollection`1", new[] { "Take", "Add" }),
        ("System.Threading.Monitor", new[] { "Wait" }),
        ("System.Threading.SpinWait", new[] { "SpinUntil" }),
    };

    // Whole-file reads and writes: blocking disk I/O everywhere, but their async twins exist only
    // from .NET Core 2.0 / .NET Standard 2.1. Where the twin is missing (a netstandard2.0 or .NET
    // Framework library) they are reported like the curated waits: offload with Task.Run.
    private static readonly string[] WholeFileMethods =
    {
        "ReadAllText", "ReadAllBytes", "ReadAllLines", "WriteAllText", "WriteAllBytes", "WriteAllLines", "AppendAllText", "AppendAllLines",
    };

    // Types whose twins are not equivalent or not worth it: in-memory I/O, cancellation,
    // XmlReader/XmlWriter (their async members throw unless created with Async = true).
    private static readonly string[] SilentTypeNames =
    {
        "System.IO.MemoryStream", "System.IO.UnmanagedMemoryStream", "System.IO.StringReader", "System.IO.StringWriter",
        "System.Threading.CancellationTokenSource", "System.Threading.Mutex",
        "System.Xml.XmlReader", "System.Xml.XmlWriter",
        "System.Threading.Tasks.Task", "System.Threading.Tasks.Task`1", "System.Threading.Tasks.ValueTask", "System.Threading.Tasks.ValueTask`1",
        "System.Runtime.CompilerServices.TaskAwaiter", "System.Runtime.CompilerServices.TaskAwaiter`1",
        "System.Runtime.CompilerServices.ValueTaskAwaiter`1", "System.Runtime.CompilerServices.ConfiguredTaskAwaitable",
    };

    private static readonly string[] InMemoryTypeNames =
    {
        "System.IO.MemoryStream", "System.IO.UnmanagedMemoryStream", "System.IO.StringReader", "System.IO.StringWriter",
    };

    // Writers/readers that are in-memory when the stream under them is.
    private static readonly string[] WrapperTypeNames =
    {
        "System.IO.StreamReader", "System.IO.StreamWriter", "System.IO.BinaryReader", "System.IO.BinaryWriter",
    };

    private static readonly ConditionalWeakTable<KnownSymbols, BlockingApis> Cache = new();

    private readonly ConcurrentDictionary<IMethodSymbol, BlockingMethod> methods = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> sourceMemoryStreams = new(SymbolEqualityComparer.Default);
    private readonly System.Func<IMethodSymbol, BlockingMethod> describe;
    private readonly ImmutableArray<INamedTypeSymbol> blockingTypes;
    private readonly ImmutableArray<(INamedTypeSymbol Type, string[] Methods)> curated;
    private readonly HashSet<INamedTypeSymbol> silentTypes;
    private readonly ImmutableArray<INamedTypeSymbol> inMemoryTypes;
    private readonly ImmutableArray<INamedTypeSymbol> wrapperTypes;
    private readonly HashSet<INamedTypeSymbol> waitPrimitives;
    private readonly INamedTypeSymbol? file;
    private readonly INamedTypeSymbol? stream;

    private BlockingApis(KnownSymbols symbols)
    {
        Symbols = symbols;
        Overloads = AsyncOverloads.For(symbols);
        describe = Describe;
        blockingTypes = Resolve(symbols, BlockingTypeNames);
        curated = CuratedWaits
            .Select(c => (Type: symbols.Lookup(c.Type), c.Methods))
            .Where(c => c.Type is not null)
            .Select(c => (c.Type!, c.Methods))
            .ToImmutableArray();
        silentTypes = new HashSet<INamedTypeSymbol>(Resolve(symbols, SilentTypeNames), SymbolEqualityComparer.Default);
        inMemoryTypes = Resolve(symbols, InMemoryTypeNames);
        wrapperTypes = Resolve(symbols, WrapperTypeNames);
        file = symbols.Lookup("System.IO.File");
        stream = symbols.Lookup("System.IO.Stream");

        // The primitives whose waits block a thread: the curated ones, and SemaphoreSlim (whose
        // Wait is in the call table, for it has the WaitAsync twin).
        waitPrimitives = new HashSet<INamedTypeSymbol>(curated.Select(c => c.Type), SymbolEqualityComparer.Default);
        if (symbols.SemaphoreSlim is { } semaphore) waitPrimitives.Add(semaphore);
    }

    public KnownSymbols Symbols { get; }

    public AsyncOverloads Overloads { get; }

    /// <summary>The tables of the compilation <paramref name="symbols"/> belongs to.</summary>
    public static BlockingApis For(KnownSymbols symbols) => Cache.GetValue(symbols, static s => new BlockingApis(s));

    private static ImmutableArray<INamedTypeSymbol> Resolve(KnownSymbols symbols, IEnumerable<string> names) =>
        names.Select(symbols.Lookup).Where(t => t is not null).Select(t => t!).ToImmutableArray();

    /// <summary>
    /// Does this operation block the thread, and why? <c>Thread.Sleep</c>; a blocking wait on a task
    /// (<c>.Result</c>, <c>Wait</c>, <c>GetAwaiter().GetResult()</c>, <c>WaitAll</c>, <c>WaitAny</c>) that
    /// is not a zero-timeout probe nor on a completed task; a curated blocking primitive; a
    /// synchronous I/O or wait call with an async twin, on a receiver that is not in memory.
    /// Null when it does not block. Asks nothing about the code around it (async context, options,
    /// deliberate shapes): that is each rule's policy.
    /// </summary>
    public BlockingReason? Blocks(IOperation operation)
    {
        if (TaskWaits.Classify(operation, Symbols) is { } wait)
            return new BlockingReason(BlockingKind.TaskWait, wait.Display, null);
        if (operation is not IInvocationOperation invocation) return null;
        var method = invocation.TargetMethod;
        if (method.ContainingType is null || method.MethodKind is not (MethodKind.Ordinary or MethodKind.ReducedExtension)) return null;
        var facts = Method(method);
        var display = method.ContainingType.Name + "." + method.Name;
        if (facts.IsSleep) return new BlockingReason(BlockingKind.Sleep, display, null);
        if (!facts.Curated && !(facts.BlockingType && facts.Twins.HasTwin)) return null;
        if (silentTypes.Contains(method.ContainingType.OriginalDefinition)) return null;
        if (!method.ReturnsVoid && Symbols.IsAsyncReturnType(method.ReturnType)) return null;
        if (IsZeroTimeoutProbe(invocation)) return null;
        if (invocation.Instance is { } receiver && IsInMemoryOrConsole(receiver, invocation.SemanticModel, depth: 0)) return null;
        return facts.Curated
            ? new BlockingReason(BlockingKind.Primitive, display, null)
            : new BlockingReason(BlockingKind.BlockingIo, display, method.ContainingType.Name + "." + facts.Twins.Name);
    }

    /// <summary>
    /// What a method is, cached per method definition (pass any form: reduced and constructed
    /// methods are mapped to their definition): Thread.Sleep, a curated wait, a member of a
    /// blocking type, and its async twins.
    /// </summary>
    public BlockingMethod Method(IMethodSymbol method) =>
        methods.GetOrAdd((method.ReducedFrom ?? method).OriginalDefinition, describe);

    /// <summary>A type whose methods block on a wait primitive (ManualResetEventSlim, SemaphoreSlim, BlockingCollection, ...).</summary>
    public bool IsWaitPrimitive(INamedTypeSymbol? type) => type is not null && waitPrimitives.Contains(type.OriginalDefinition);

    /// <summary>Task, XmlReader, MemoryStream, ...: types whose twins are not worth reporting.</summary>
    public bool IsSilentType(INamedTypeSymbol type) => silentTypes.Contains(type.OriginalDefinition);

    private BlockingMethod Describe(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (method.Name == "Sleep" && SymbolEqualityComparer.Default.Equals(type, Symbols.Thread)) return BlockingMethod.Sleep;
        foreach (var (waitType, names) in curated)
        {
            if (names.Contains(method.Name) && KnownSymbols.InheritsFrom(type, waitType))
            {
                // Monitor.Wait must run on the thread that holds the lock: never offloaded.
                return new BlockingMethod(AsyncTwins.None, curated: true, offloadAllowed: !SymbolEqualityComparer.Default.Equals(type, Symbols.Monitor), blockingType: false);
            }
        }

        var twins = Overloads.FindTwins(method);
        if (!twins.HasTwin)
        {
            return method.IsStatic && WholeFileMethods.Contains(method.Name) && SymbolEqualityComparer.Default.Equals(type, file)
                ? new BlockingMethod(AsyncTwins.None, curated: true, offloadAllowed: true, blockingType: false)
                : BlockingMethod.None;
        }

        // A data reader's row is buffered after Read/ReadAsync (default command behavior).
        var blocking = blockingTypes.Any(b => KnownSymbols.InheritsFrom(type, b))
            && !(method.Name is "IsDBNull" or "GetFieldValue" && type.Name.EndsWith("DataReader", System.StringComparison.Ordinal));
        return new BlockingMethod(twins, curated: false, offloadAllowed: true, blockingType: blocking);
    }

    /// <summary>
    /// A wait of the tables (<c>Wait*</c>, <c>Join</c>, <c>Take</c>, <c>SignalAndWait</c>) whose first
    /// argument is a zero timeout (<c>WaitOne(0)</c>, <c>Join(TimeSpan.Zero)</c>): a non-blocking try, not a wait.
    /// </summary>
    public bool IsZeroTimeoutProbe(IInvocationOperation invocation)
    {
        var name = invocation.TargetMethod.Name;
        if (!name.StartsWith("Wait", System.StringComparison.Ordinal) && name is not ("Join" or "Take" or "SignalAndWait")) return false;
        return invocation.Arguments.Length > 0 && IsZeroTimeout(invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value);
    }

    /// <summary>
    /// The one zero-timeout test: <c>0</c>, <c>0L</c> or <c>TimeSpan.Zero</c> (by symbol), under
    /// conversions; also through a local or a readonly field whose only write is such an initializer
    /// (<c>var timeout = 0; Wait(timeout)</c>).
    /// </summary>
    public static bool IsZeroTimeout(IOperation? value, KnownSymbols symbols)
    {
        if (value is null) return false;
        value = OperationFacts.StripConversions(value);
        if (IsZeroValue(value, symbols)) return true;
        if (value is not (ILocalReferenceOperation or IFieldReferenceOperation) || SingleAssignment.OnlyValue(value) is not { } initializer) return false;
        return initializer switch
        {
            LiteralExpressionSyntax literal => literal.Token.Value is 0 or 0L,
            _ => value.SemanticModel is { } model && initializer.SyntaxTree == model.SyntaxTree
                && model.GetOperation(initializer) is { } initial && IsZeroValue(OperationFacts.StripConversions(initial), symbols),
        };
    }

    private static bool IsZeroValue(IOperation value, KnownSymbols symbols) => value switch
    {
        { ConstantValue: { HasValue: true, Value: 0 or 0L } } => true,
        IFieldReferenceOperation { Field: { Name: "Zero", IsStatic: true } field } => SymbolEqualityComparer.Default.Equals(field.ContainingType, symbols.TimeSpan),
        _ => false,
    };

    private bool IsZeroTimeout(IOperation? value) => IsZeroTimeout(value, Symbols);

    /// <summary>
    /// The receiver is provably in memory: typed MemoryStream/StringReader/StringWriter, or a
    /// local initialized with one, or a reader/writer or stream created over one (by a constructor
    /// or by a call that returns a stream); or it is Console.In/Out/Error.
    /// </summary>
    public bool IsInMemoryOrConsole(IOperation receiver, SemanticModel? model, int depth)
    {
        receiver = OperationFacts.StripConversions(receiver);
        if (receiver.Type is { } type && (inMemoryTypes.Any(t => KnownSymbols.InheritsFrom(type, t)) || IsSourceMemoryStream(type))) return true;
        if (depth > 2) return false;
        switch (receiver)
        {
            case IPropertyReferenceOperation { Property.ContainingType: { } owner } when SymbolEqualityComparer.Default.Equals(owner, Symbols.Console):
                return true;
            case IObjectCreationOperation creation when creation.Type is { } created
                && (wrapperTypes.Any(w => KnownSymbols.InheritsFrom(created, w)) || KnownSymbols.InheritsFrom(created, stream))
                && creation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is { } first:
                return IsInMemoryOrConsole(first.Value, model, depth + 1);

            // A stream made over an in-memory one (new GZipStream(memory, ...), provider.CreateDecompressionStream(memory)).
            case IInvocationOperation { Type: { } made } call when stream is not null && KnownSymbols.InheritsFrom(made, stream)
                && call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is { } source:
                return IsInMemoryOrConsole(source.Value, model, depth + 1);
            case ILocalReferenceOperation local when model is not null
                && local.Local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
                && initializer.SyntaxTree == model.SyntaxTree
                && model.GetOperation(initializer) is { } value:
                return IsInMemoryOrConsole(value, model, depth + 1);
            default:
                return false;
        }
    }

    /// <summary>
    /// A stream class of this compilation that holds only data: no field of its own (nor of a base
    /// class declared here) refers to another object other than a string, an array or a task (a
    /// cache of its last read), so its reads and writes touch memory only (a stream over a
    /// <c>ReadOnlySequence&lt;byte&gt;</c>, say).
    /// </summary>
    private bool IsSourceMemoryStream(ITypeSymbol type)
    {
        if (stream is null || type is not INamedTypeSymbol { TypeKind: TypeKind.Class } named || named.Locations.All(l => !l.IsInSource)) return false;
        if (!KnownSymbols.InheritsFrom(named, stream)) return false;
        return sourceMemoryStreams.GetOrAdd(named.OriginalDefinition, t =>
        {
            for (var current = t; current is not null && current.Locations.Any(l => l.IsInSource); current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member is IFieldSymbol { IsStatic: false, IsConst: false } field && !HoldsOnlyData(field.Type)) return false;
                }
            }

            return true;
        });
    }

    private bool HoldsOnlyData(ITypeSymbol fieldType) => fieldType switch
    {
        { SpecialType: SpecialType.System_String } => true,
        { SpecialType: SpecialType.System_IntPtr or SpecialType.System_UIntPtr } => false,
        IArrayTypeSymbol array => array.ElementType.IsValueType,
        _ when Symbols.IsTaskType(fieldType) => true,
        { IsValueType: true } => !fieldType.GetMembers().OfType<IFieldSymbol>().Any(f => !f.IsStatic && !f.Type.IsValueType && f.Type.SpecialType != SpecialType.System_String)
            || fieldType.ContainingNamespace?.ToDisplayString() is "System" or "System.Buffers",
        _ => false,
    };
}

/// <summary>Why an operation blocks.</summary>
internal enum BlockingKind
{
    /// <summary><c>Thread.Sleep</c>.</summary>
    Sleep,

    /// <summary>A blocking wait on a task.</summary>
    TaskWait,

    /// <summary>A curated blocking primitive with no async twin (WaitHandle.WaitOne, Thread.Join, ...).</summary>
    Primitive,

    /// <summary>Synchronous I/O or a wait that has an async twin.</summary>
    BlockingIo,
}

/// <summary>The answer of <see cref="BlockingApis.Blocks"/>: the kind, the call as shown in messages, the twin to call instead (for I/O).</summary>
internal sealed record BlockingReason(BlockingKind Kind, string Call, string? Twin);

/// <summary>What a method is to the blocking rules; one per method definition.</summary>
internal sealed class BlockingMethod
{
    public static readonly BlockingMethod None = new(AsyncTwins.None, false, true, false);
    public static readonly BlockingMethod Sleep = new(AsyncTwins.None, false, true, false) { IsSleep = true };

    public BlockingMethod(AsyncTwins twins, bool curated, bool offloadAllowed, bool blockingType)
    {
        Twins = twins;
        Curated = curated;
        OffloadAllowed = offloadAllowed;
        BlockingType = blockingType;
    }

    /// <summary>Its async twins (none for a curated wait).</summary>
    public AsyncTwins Twins { get; }

    /// <summary><c>Thread.Sleep</c> (AGD0001's).</summary>
    public bool IsSleep { get; private set; }

    /// <summary>A curated blocking primitive with no twin.</summary>
    public bool Curated { get; }

    /// <summary>It may move into <c>await Task.Run(...)</c> (not Monitor.Wait).</summary>
    public bool OffloadAllowed { get; }

    /// <summary>A member of a type whose sync members do real I/O or wait (its twin is AGD0002, not AGD0006).</summary>
    public bool BlockingType { get; }
}
