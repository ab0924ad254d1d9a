using System.Runtime.CompilerServices;

namespace AsyncGuard;

/// <summary>An acquire or release call: its lock kind, the lock expression, and how to name it.</summary>
internal sealed record LockCall(IInvocationOperation Invocation, string Kind, bool IsAcquire, SyntaxNode? Target, string Display);

/// <summary>
/// The lock table: the thread-affine locks (Monitor, ReaderWriterLockSlim, Mutex, SpinLock), whose
/// release must run on the acquiring thread, and their acquire and release calls. Resolved once per compilation.
/// </summary>
internal sealed class ThreadAffineLocks
{
    private static readonly ConditionalWeakTable<KnownSymbols, ThreadAffineLocks> Cache = new();

    private readonly INamedTypeSymbol? monitor;
    private readonly INamedTypeSymbol? readerWriterLockSlim;
    private readonly INamedTypeSymbol? mutex;
    private readonly INamedTypeSymbol? spinLock;

    private ThreadAffineLocks(KnownSymbols symbols)
    {
        monitor = symbols.Monitor;
        readerWriterLockSlim = symbols.Lookup("System.Threading.ReaderWriterLockSlim");
        mutex = symbols.Lookup("System.Threading.Mutex");
        spinLock = symbols.Lookup("System.Threading.SpinLock");
    }

    /// <summary>The lock table of the compilation <paramref name="symbols"/> belongs to.</summary>
    public static ThreadAffineLocks For(KnownSymbols symbols) => Cache.GetValue(symbols, static s => new ThreadAffineLocks(s));

    public bool Any => monitor is not null || readerWriterLockSlim is not null || mutex is not null || spinLock is not null;

    /// <summary>A cheap first filter on the method name: every acquire and release name passes.</summary>
    public static bool MayBeLockCall(string name) =>
        name.StartsWith("Enter", System.StringComparison.Ordinal)
        || name.StartsWith("TryEnter", System.StringComparison.Ordinal)
        || name.StartsWith("Exit", System.StringComparison.Ordinal)
        || name is "WaitOne" or "ReleaseMutex";

    /// <summary>The acquire or release <paramref name="invocation"/> is, or null.</summary>
    public LockCall? Classify(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        if (type is null) return null;

        if (SymbolEqualityComparer.Default.Equals(type, monitor) && invocation.Arguments.Length > 0)
        {
            var target = invocation.Arguments[0].Value.Syntax;
            return method.Name switch
            {
                "Enter" or "TryEnter" => new LockCall(invocation, "Monitor", true, target, "Monitor." + method.Name),
                "Exit" => new LockCall(invocation, "Monitor", false, target, "Monitor.Exit"),
                _ => null,
            };
        }

        if (invocation.Instance is not { } instance) return null;
        var receiver = instance.Syntax;
        if (SymbolEqualityComparer.Default.Equals(type, readerWriterLockSlim))
        {
            var name = method.Name;
            var isTry = name.StartsWith("TryEnter", System.StringComparison.Ordinal);
            if (name.StartsWith("Enter", System.StringComparison.Ordinal) || isTry)
                return new LockCall(invocation, name.Substring(isTry ? 8 : 5), true, receiver, "ReaderWriterLockSlim." + name);
            if (name.StartsWith("Exit", System.StringComparison.Ordinal))
                return new LockCall(invocation, name.Substring(4), false, receiver, "ReaderWriterLockSlim." + name);
            return null;
        }

        if (SymbolEqualityComparer.Default.Equals(type, spinLock))
        {
            return method.Name switch
            {
                "Enter" or "TryEnter" => new LockCall(invocation, "SpinLock", true, receiver, "SpinLock." + method.Name),
                "Exit" => new LockCall(invocation, "SpinLock", false, receiver, "SpinLock.Exit"),
                _ => null,
            };
        }

        // WaitOne is declared on WaitHandle: only a Mutex receiver is thread-affine.
        if (mutex is not null && KnownSymbols.InheritsFrom(instance.Type, mutex))
        {
            return method.Name switch
            {
                "WaitOne" => new LockCall(invocation, "Mutex", true, receiver, "Mutex.WaitOne"),
                "ReleaseMutex" => new LockCall(invocation, "Mutex", false, receiver, "Mutex.ReleaseMutex"),
                _ => null,
            };
        }

        return null;
    }
}
