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

    private KnownSymbols(Compilation compilation)
    {
        awaitableFactory = t => IsTaskType(t) || HasAwaiterPattern(t, INotifyCompletion);
#pragma warning disable RS0030 // the one place a type is looked up by name (src/BannedSymbols.txt)
        lookupFactory = compilation.GetTypeByMetadataName;
#pragma warning restore RS0030
        Task = Type("System.Threading.Tasks.Task");
        TaskOfT = Type("System.Threading.Tasks.Task`1");
        ValueTask = Type("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = Type("System.Threading.Tasks.ValueTask`1");
        TaskFactory = Type("System.Threading.Tasks.TaskFactory");
        TaskCompletionSource = Type("System.Threading.Tasks.TaskCompletionSource");
        TaskCompletionSourceOfT = Type("System.Threading.Tasks.TaskCompletionSource`1");
        TaskCreationOptions = Type("System.Threading.Tasks.TaskCreationOptions");
        TaskContinuationOptions = Type("System.Threading.Tasks.TaskContinuationOptions");
        TaskStatus = Type("System.Threading.Tasks.TaskStatus");
        Parallel = Type("System.Threading.Tasks.Parallel");
        ConfiguredTaskAwaitable = Type("System.Runtime.CompilerServices.ConfiguredTaskAwaitable");
        ConfiguredTaskAwaitableOfT = Type("System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1");
        ConfiguredValueTaskAwaitable = Type("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable");
        ConfiguredValueTaskAwaitableOfT = Type("System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1");
        IAsyncEnumerableOfT = Type("System.Collections.Generic.IAsyncEnumerable`1");
        IAsyncEnumeratorOfT = Type("System.Collections.Generic.IAsyncEnumerator`1");
        IAsyncDisposable = Type("System.IAsyncDisposable");
        IDisposable = Type("System.IDisposable");
        CancellationToken = Type("System.Threading.CancellationToken");
        CancellationTokenSource = Type("System.Threading.CancellationTokenSource");
        OperationCanceledException = Type("System.OperationCanceledException");
        TaskCanceledException = Type("System.Threading.Tasks.TaskCanceledException");
        Exception = Type("System.Exception");
        EventArgs = Type("System.EventArgs");
        Thread = Type("System.Threading.Thread");
        TimeSpan = Type("System.TimeSpan");
        Monitor = Type("System.Threading.Monitor");
        SemaphoreSlim = Type("System.Threading.SemaphoreSlim");
        ListOfT = Type("System.Collections.Generic.List`1");
        Console = Type("System.Console");
        Debug = Type("System.Diagnostics.Debug");
        INotifyCompletion = Type("System.Runtime.CompilerServices.INotifyCompletion");
    }

    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? TaskFactory { get; }
    public INamedTypeSymbol? TaskCompletionSource { get; }
    public INamedTypeSymbol? TaskCompletionSourceOfT { get; }
    public INamedTypeSymbol? TaskCreationOptions { get; }
    public INamedTypeSymbol? TaskContinuationOptions { get; }
    public INamedTypeSymbol? TaskStatus { get; }
    public INamedTypeSymbol? Parallel { get; }
    public INamedTypeSymbol? ConfiguredTaskAwaitable { get; }
    public INamedTypeSymbol? ConfiguredTaskAwaitableOfT { get; }
    public INamedTypeSymbol? ConfiguredValueTaskAwaitable { get; }
    public INamedTypeSymbol? ConfiguredValueTaskAwaitableOfT { get; }
    public INamedTypeSymbol? IAsyncEnumerableOfT { get; }
    public INamedTypeSymbol? IAsyncEnumeratorOfT { get; }
    public INamedTypeSymbol? IAsyncDisposable { get; }
    public INamedTypeSymbol? IDisposable { get; }
    public INamedTypeSymbol? CancellationToken { get; }
    public INamedTypeSymbol? CancellationTokenSource { get; }
    public INamedTypeSymbol? OperationCanceledException { get; }
    public INamedTypeSymbol? TaskCanceledException { get; }
    public INamedTypeSymbol? Exception { get; }
    public INamedTypeSymbol? EventArgs { get; }
    public INamedTypeSymbol? Thread { get; }
    public INamedTypeSymbol? TimeSpan { get; }
    public INamedTypeSymbol? Monitor { get; }
    public INamedTypeSymbol? SemaphoreSlim { get; }
    public INamedTypeSymbol? ListOfT { get; }
    public INamedTypeSymbol? Console { get; }
    public INamedTypeSymbol? Debug { get; }
    public INamedTypeSymbol? INotifyCompletion { get; }

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
