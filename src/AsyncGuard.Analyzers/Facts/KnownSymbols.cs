using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace AsyncGuard;

/// <summary>
/// The types every rule asks about, resolved once per compilation and shared by all
/// analyzers of that compilation. A null member means the compilation does not have it.
/// </summary>
internal sealed class KnownSymbols
{
    private static readonly ConditionalWeakTable<Compilation, KnownSymbols> Cache = new();

    private readonly ConcurrentDictionary<ITypeSymbol, bool> awaitableCache = new(SymbolEqualityComparer.Default);
    private readonly System.Func<ITypeSymbol, bool> awaitableFactory;
    private readonly ConcurrentDictionary<string, INamedTypeSymbol?> lookups = new(System.StringComparer.Ordinal);
    private readonly System.Func<string, INamedTypeSymbol?> lookupFactory;
    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<ISymbol>> tokenMembersCache = new(SymbolEqualityComparer.Default);

    // Every type but Task is resolved on first use: an edit in the IDE makes a new compilation,
    // and most of them never ask for most types. A box holds the answer, null included; two
    // threads racing on a first use resolve the same symbol.
    private StrongBox<INamedTypeSymbol?>? taskOfT;
    private StrongBox<INamedTypeSymbol?>? valueTask;
    private StrongBox<INamedTypeSymbol?>? valueTaskOfT;
    private StrongBox<INamedTypeSymbol?>? taskFactory;
    private StrongBox<INamedTypeSymbol?>? taskCompletionSource;
    private StrongBox<INamedTypeSymbol?>? taskCompletionSourceOfT;
    private StrongBox<INamedTypeSymbol?>? taskCreationOptions;
    private StrongBox<INamedTypeSymbol?>? taskContinuationOptions;
    private StrongBox<INamedTypeSymbol?>? taskStatus;
    private StrongBox<INamedTypeSymbol?>? parallel;
    private StrongBox<INamedTypeSymbol?>? configuredTaskAwaitable;
    private StrongBox<INamedTypeSymbol?>? configuredTaskAwaitableOfT;
    private StrongBox<INamedTypeSymbol?>? configuredValueTaskAwaitable;
    private StrongBox<INamedTypeSymbol?>? configuredValueTaskAwaitableOfT;
    private StrongBox<INamedTypeSymbol?>? iAsyncEnumerableOfT;
    private StrongBox<INamedTypeSymbol?>? iAsyncEnumeratorOfT;
    private StrongBox<INamedTypeSymbol?>? iAsyncDisposable;
    private StrongBox<INamedTypeSymbol?>? iDisposable;
    private StrongBox<INamedTypeSymbol?>? cancellationToken;
    private StrongBox<INamedTypeSymbol?>? cancellationTokenSource;
    private StrongBox<INamedTypeSymbol?>? operationCanceledException;
    private StrongBox<INamedTypeSymbol?>? taskCanceledException;
    private StrongBox<INamedTypeSymbol?>? exception;
    private StrongBox<INamedTypeSymbol?>? eventArgs;
    private StrongBox<INamedTypeSymbol?>? thread;
    private StrongBox<INamedTypeSymbol?>? timeSpan;
    private StrongBox<INamedTypeSymbol?>? monitor;
    private StrongBox<INamedTypeSymbol?>? semaphoreSlim;
    private StrongBox<INamedTypeSymbol?>? listOfT;
    private StrongBox<INamedTypeSymbol?>? console;
    private StrongBox<INamedTypeSymbol?>? debug;
    private StrongBox<INamedTypeSymbol?>? iNotifyCompletion;

    private KnownSymbols(Compilation compilation)
    {
        awaitableFactory = t => IsTaskType(t) || HasAwaiterPattern(t, INotifyCompletion);
#pragma warning disable RS0030 // the one place a type is looked up by name (src/BannedSymbols.txt)
        lookupFactory = compilation.GetTypeByMetadataName;
#pragma warning restore RS0030
        Task = Type("System.Threading.Tasks.Task");
    }

    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT => (taskOfT ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.Tasks.Task`1"))).Value;
    public INamedTypeSymbol? ValueTask => (valueTask ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.Tasks.ValueTask"))).Value;
    public INamedTypeSymbol? ValueTaskOfT => (valueTaskOfT ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.Tasks.ValueTask`1"))).Value;
    public INamedTypeSymbol? TaskFactory => (taskFactory ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.Tasks.TaskFactory"))).Value;
    public INamedTypeSymbol? TaskCompletionSource => (taskCompletionSource ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.Tasks.TaskCompletionSource"))).Value;
    public INamedTypeSymbol? TaskCompletionSourceOfT => (taskCompletionSourceOfT ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.Tasks.TaskCompletionSource`1"))).Value;
    public INamedTypeSymbol? TaskCreationOptions => (taskCreationOptions ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.Tasks.TaskCreationOptions"))).Value;
    public INamedTypeSymbol? TaskContinuationOptions => (taskContinuationOptions ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.Tasks.TaskContinuationOptions"))).Value;
    public INamedTypeSymbol? TaskStatus => (taskStatus ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.Tasks.TaskStatus"))).Value;
    public INamedTypeSymbol? Parallel => (parallel ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.Tasks.Parallel"))).Value;
    public INamedTypeSymbol? ConfiguredTaskAwaitable => (configuredTaskAwaitable ??= new StrongBox<INamedTypeSymbol?>(Type("System.Runtime.CompilerServices.ConfiguredTaskAwaitable"))).Value;
    public INamedTypeSymbol? ConfiguredTaskAwaitableOfT => (configuredTaskAwaitableOfT ??= new StrongBox<INamedTypeSymbol?>(Type("System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1"))).Value;
    public INamedTypeSymbol? ConfiguredValueTaskAwaitable => (configuredValueTaskAwaitable ??= new StrongBox<INamedTypeSymbol?>(Type("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable"))).Value;
    public INamedTypeSymbol? ConfiguredValueTaskAwaitableOfT => (configuredValueTaskAwaitableOfT ??= new StrongBox<INamedTypeSymbol?>(Type("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1"))).Value;
    public INamedTypeSymbol? IAsyncEnumerableOfT => (iAsyncEnumerableOfT ??= new StrongBox<INamedTypeSymbol?>(Type("System.Collections.Generic.IAsyncEnumerable`1"))).Value;
    public INamedTypeSymbol? IAsyncEnumeratorOfT => (iAsyncEnumeratorOfT ??= new StrongBox<INamedTypeSymbol?>(Type("System.Collections.Generic.IAsyncEnumerator`1"))).Value;
    public INamedTypeSymbol? IAsyncDisposable => (iAsyncDisposable ??= new StrongBox<INamedTypeSymbol?>(Type("System.IAsyncDisposable"))).Value;
    public INamedTypeSymbol? IDisposable => (iDisposable ??= new StrongBox<INamedTypeSymbol?>(Type("System.IDisposable"))).Value;
    public INamedTypeSymbol? CancellationToken => (cancellationToken ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.CancellationToken"))).Value;
    public INamedTypeSymbol? CancellationTokenSource => (cancellationTokenSource ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.CancellationTokenSource"))).Value;
    public INamedTypeSymbol? OperationCanceledException => (operationCanceledException ??= new StrongBox<INamedTypeSymbol?>(Type("System.OperationCanceledException"))).Value;
    public INamedTypeSymbol? TaskCanceledException => (taskCanceledException ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.Tasks.TaskCanceledException"))).Value;
    public INamedTypeSymbol? Exception => (exception ??= new StrongBox<INamedTypeSymbol?>(Type("System.Exception"))).Value;
    public INamedTypeSymbol? EventArgs => (eventArgs ??= new StrongBox<INamedTypeSymbol?>(Type("System.EventArgs"))).Value;
    public INamedTypeSymbol? Thread => (thread ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.Thread"))).Value;
    public INamedTypeSymbol? TimeSpan => (timeSpan ??= new StrongBox<INamedTypeSymbol?>(Type("System.TimeSpan"))).Value;
    public INamedTypeSymbol? Monitor => (monitor ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.Monitor"))).Value;
    public INamedTypeSymbol? SemaphoreSlim => (semaphoreSlim ??= new StrongBox<INamedTypeSymbol?>(Type("System.Threading.SemaphoreSlim"))).Value;
    public INamedTypeSymbol? ListOfT => (listOfT ??= new StrongBox<INamedTypeSymbol?>(Type("System.Collections.Generic.List`1"))).Value;
    public INamedTypeSymbol? Console => (console ??= new StrongBox<INamedTypeSymbol?>(Type("System.Console"))).Value;
    public INamedTypeSymbol? INotifyCompletion => (iNotifyCompletion ??= new StrongBox<INamedTypeSymbol?>(Type("System.Runtime.CompilerServices.INotifyCompletion"))).Value;
    public INamedTypeSymbol? Debug => (debug ??= new StrongBox<INamedTypeSymbol?>(Type("System.Diagnostics.Debug"))).Value;

    /// <summary>
    /// The symbols of <paramref name="compilation"/>, or null when it has no
    /// <c>System.Threading.Tasks.Task</c> (nothing async to analyze).
    /// </summary>
    public static KnownSymbols? From(Compilation compilation)
    {
        var symbols = Cache.GetValue(compilation, static c => new KnownSymbols(c));
        return symbols.Task is null ? null : symbols;
    }

    /// <summary>Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt; (the four BCL task types).</summary>
    public bool IsTaskType(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named) return false;
        var original = named.OriginalDefinition;
        return SymbolEqualityComparer.Default.Equals(original, Task)
            || SymbolEqualityComparer.Default.Equals(original, TaskOfT)
            || SymbolEqualityComparer.Default.Equals(original, ValueTask)
            || SymbolEqualityComparer.Default.Equals(original, ValueTaskOfT)
            || InheritsFrom(named, Task);
    }

    /// <summary>
    /// True when <paramref name="type"/> can be awaited: the BCL task types, or any type with an
    /// accessible instance <c>GetAwaiter()</c> whose result has <c>IsCompleted</c> and <c>GetResult</c>.
    /// </summary>
    public bool IsAwaitable(ITypeSymbol? type)
    {
        if (type is null || type.TypeKind == TypeKind.Error || type.SpecialType != SpecialType.None) return false;

        // Whether a type is awaitable does not depend on its type arguments: the answer is
        // cached per definition (List<T>, not every List<X> of the compilation).
        return awaitableCache.GetOrAdd(type.OriginalDefinition, awaitableFactory);
    }

    /// <summary>An awaitable type, or IAsyncEnumerable/IAsyncEnumerator (async iterators).</summary>
    public bool IsAsyncReturnType(ITypeSymbol? type)
    {
        if (IsAwaitable(type)) return true;
        if (type is not INamedTypeSymbol named) return false;
        var original = named.OriginalDefinition;
        return SymbolEqualityComparer.Default.Equals(original, IAsyncEnumerableOfT)
            || SymbolEqualityComparer.Default.Equals(original, IAsyncEnumeratorOfT);
    }

    public bool IsCancellationToken(ITypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(type, CancellationToken);

    public static bool InheritsFrom(ITypeSymbol? type, ITypeSymbol? baseType)
    {
        if (baseType is null) return false;
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType)) return true;
        }

        return false;
    }

    /// <summary>
    /// The fields and readable properties of <paramref name="type"/> and its base types (not
    /// private ones of a base) whose type is a CancellationToken, CancellationToken? or a
    /// CancellationTokenSource; cached per type.
    /// </summary>
    public ImmutableArray<ISymbol> TokenMembers(INamedTypeSymbol type) =>
        tokenMembersCache.GetOrAdd(type, t =>
        {
            var builder = ImmutableArray.CreateBuilder<ISymbol>();
            for (var current = t; current is not null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member.IsImplicitlyDeclared) continue;
                    if (!SymbolEqualityComparer.Default.Equals(current, t) && member.DeclaredAccessibility == Accessibility.Private) continue;
                    var memberType = member switch
                    {
                        IFieldSymbol field => field.Type,
                        IPropertySymbol { GetMethod: not null, Parameters.Length: 0 } property => property.Type,
                        _ => null,
                    };
                    if (memberType is not null && IsTokenLike(memberType)) builder.Add(member);
                }
            }

            return builder.ToImmutable();
        });

    /// <summary>A CancellationToken or a CancellationToken?.</summary>
    public bool IsCancellationTokenOrNullable(ITypeSymbol? type) =>
        IsCancellationToken(type)
        || (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable && IsCancellationToken(nullable.TypeArguments[0]));

    /// <summary>A CancellationToken, a CancellationToken?, or a CancellationTokenSource (or a type derived from it).</summary>
    public bool IsTokenLike(ITypeSymbol? type) =>
        IsCancellationTokenOrNullable(type)
        || (CancellationTokenSource is not null && InheritsFrom(type, CancellationTokenSource));

    // The language's awaiter: IsCompleted, GetResult() and INotifyCompletion (OnCompleted); without
    // the interface 'await' does not compile, so the type is not awaitable.
    private static bool HasAwaiterPattern(ITypeSymbol type, INamedTypeSymbol? notifyCompletion)
    {
        if (type.TypeKind is TypeKind.Error or TypeKind.Dynamic or TypeKind.Pointer) return false;
        foreach (var member in type.GetMembers("GetAwaiter"))
        {
            if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0, TypeParameters.Length: 0 } method
                && method.ReturnType is { } awaiter
                && awaiter.GetMembers("IsCompleted").Any(m => m is IPropertySymbol { Type.SpecialType: SpecialType.System_Boolean })
                && awaiter.GetMembers("GetResult").Any(m => m is IMethodSymbol { Parameters.Length: 0 })
                && (notifyCompletion is null || ImplementsNotifyCompletion(awaiter, notifyCompletion)))
            {
                return true;
            }
        }

        return type.BaseType is { } baseType && HasAwaiterPattern(baseType, notifyCompletion);
    }

    private static bool ImplementsNotifyCompletion(ITypeSymbol awaiter, INamedTypeSymbol notifyCompletion)
    {
        if (awaiter is ITypeParameterSymbol typeParameter) return typeParameter.ConstraintTypes.Any(c => ImplementsNotifyCompletion(c, notifyCompletion));
        return SymbolEqualityComparer.Default.Equals(awaiter, notifyCompletion)
            || awaiter.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, notifyCompletion));
    }

    private INamedTypeSymbol? Type(string metadataName) => Lookup(metadataName);

    /// <summary>
    /// <see cref="Compilation.GetTypeByMetadataName"/>, cached per name: several analyzers ask
    /// for the same types, and each call searches every referenced assembly.
    /// </summary>
    public INamedTypeSymbol? Lookup(string metadataName) => lookups.GetOrAdd(metadataName, lookupFactory);

    /// <summary>
    /// <see cref="Lookup(string)"/> in <paramref name="compilation"/>, for code that has no
    /// <see cref="KnownSymbols"/> at hand (the fixers); also where the compilation has no Task type.
    /// </summary>
    public static INamedTypeSymbol? Lookup(Compilation compilation, string metadataName) =>
        Cache.GetValue(compilation, static c => new KnownSymbols(c)).Lookup(metadataName);
}
