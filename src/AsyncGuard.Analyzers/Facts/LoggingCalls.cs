using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncGuard;

/// <summary>
/// Calls that write something down rather than act on it: a method named <c>Log...</c> or
/// <c>Trace...</c>, a member or extension of <c>ILogger</c>, <c>Console.Write...</c> (also on
/// <c>Console.Error</c> and <c>Console.Out</c>), <c>Debug.Fail</c> and <c>Trace</c>; and, where
/// asked, a call on or into a type named like a logger (<c>...Logger</c>, <c>...Log</c>: the
/// <c>static partial class ...Log</c> holders of <c>[LoggerMessage]</c> methods, <c>ILog</c>). An exception passed to
/// one of these is recorded, not handed on.
/// </summary>
internal static class LoggingCalls
{
    /// <summary>
    /// True when <paramref name="invocation"/> logs or traces. <paramref name="byTypeName"/> also
    /// counts types named like a logger: right for "was the exception only recorded?", too wide for
    /// "does this catch log cancellation?" (such helpers are often called behind a cancellation test).
    /// </summary>
    public static bool IsLogging(IInvocationOperation invocation, KnownSymbols symbols, bool byTypeName = false)
    {
        var method = invocation.TargetMethod;
        if (method.Name.StartsWith("Log", StringComparison.Ordinal)
            || method.Name.StartsWith("Trace", StringComparison.Ordinal)) return true;
        if (symbols.Lookup("Microsoft.Extensions.Logging.ILogger") is { } logger)
        {
            if (Implements(method.ContainingType, logger)) return true;
            if (method.IsExtensionMethod && method.Parameters.Length > 0 && Implements(method.Parameters[0].Type, logger)) return true;
            if (method.ReducedFrom is { Parameters.Length: > 0 } reduced && Implements(reduced.Parameters[0].Type, logger)) return true;
        }

        var containing = method.ContainingType;
        if (byTypeName && (IsLoggerName(containing?.Name) || IsLoggerName(invocation.Instance?.Type?.Name))) return true;
        if (SymbolEqualityComparer.Default.Equals(containing, symbols.Console) && method.Name.StartsWith("Write", StringComparison.Ordinal)) return true;
        if (SymbolEqualityComparer.Default.Equals(containing, symbols.Debug) && method.Name == "Fail") return true;
        if (SymbolEqualityComparer.Default.Equals(containing, symbols.Lookup("System.Diagnostics.Trace"))) return true;
        return symbols.Lookup("System.IO.TextWriter") is { } writer
            && KnownSymbols.InheritsFrom(containing, writer)
            && method.Name.StartsWith("Write", StringComparison.Ordinal)
            && invocation.Instance is IPropertyReferenceOperation { Property.Name: "Error" or "Out" } stream
            && SymbolEqualityComparer.Default.Equals(stream.Property.ContainingType, symbols.Console);
    }

    /// <summary>A type named like a logger: <c>ILogger</c>, <c>NLog.Logger</c>, <c>ILog</c>, <c>Log</c>, <c>AuditLog</c>; not <c>Catalog</c> or <c>Dialog</c>.</summary>
    private static bool IsLoggerName(string? name)
    {
        if (name is null) return false;
        if (name.EndsWith("Logger", StringComparison.Ordinal)) return true;
        if (!name.EndsWith("Log", StringComparison.Ordinal)) return false;

        // "Log" as a whole word: the name is Log/ILog, or a capital L starts the last word.
        return name.Length == 3 || name == "ILog" || char.IsLower(name[name.Length - 4]);
    }

    private static bool Implements(ITypeSymbol? type, INamedTypeSymbol iface) =>
        type is not null
        && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, iface)
            || type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, iface)));
}
