using Microsoft.CodeAnalysis;

namespace AsyncGuard;

/// <summary>What a token parameter does for the method that takes it, where that is not "stop this work".</summary>
internal static class TokenUse
{
    /// <summary>
    /// <c>Task.Run(work, token)</c> and <c>TaskFactory.StartNew(work, token)</c>: the token only keeps
    /// work from starting that has not started yet; the work itself never sees it. Forwarding it
    /// there is not what makes the work cancellable.
    /// </summary>
    public static bool OnlyPreventsStart(IMethodSymbol method, KnownSymbols symbols) =>
        (method.Name == "Run" && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Task))
        || (method.Name == "StartNew" && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, symbols.TaskFactory));
}
