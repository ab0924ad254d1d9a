using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncGuard;

/// <summary>
/// SemaphoreSlim facts: which call acquires and which releases, whether a wait can time out
/// (and so return false), and whether two expressions name the same semaphore.
/// </summary>
internal static class SemaphoreFacts
{
    /// <summary>A cheap first filter on the method name, before any symbol is compared.</summary>
    public static bool MayBeAcquire(string name) => name is "Wait" or "WaitAsync";

    /// <summary><c>Wait</c> or <c>WaitAsync</c>, any overload, on a SemaphoreSlim instance.</summary>
    public static bool IsAcquire(IInvocationOperation invocation, INamedTypeSymbol semaphoreSlim) =>
        MayBeAcquire(invocation.TargetMethod.Name)
        && invocation.Instance is not null
        && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, semaphoreSlim);

    /// <summary><c>Release()</c> or <c>Release(count)</c> on a SemaphoreSlim instance.</summary>
    public static bool IsRelease(IInvocationOperation invocation, INamedTypeSymbol semaphoreSlim) =>
        invocation.TargetMethod.Name == "Release"
        && invocation.Instance is not null
        && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, semaphoreSlim);

    /// <summary>
    /// True when the wait has a timeout that is not infinite, so that it can return false
    /// without acquiring. <c>-1</c>, <c>Timeout.Infinite</c> and <c>Timeout.InfiniteTimeSpan</c>
    /// are infinite: those overloads always return true (or throw).
    /// </summary>
    public static bool CanTimeOut(IInvocationOperation invocation, KnownSymbols symbols)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter) continue;
            var value = OperationFacts.StripConversions(argument.Value);
            if (parameter.Type.SpecialType == SpecialType.System_Int32)
                return !(value.ConstantValue is { HasValue: true, Value: int milliseconds } && milliseconds == -1);
            if (symbols.TimeSpan is not null && SymbolEqualityComparer.Default.Equals(parameter.Type, symbols.TimeSpan))
                return !IsInfiniteTimeSpan(value, symbols);
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="a"/> and <paramref name="b"/> read the same semaphore: the same
    /// local, parameter, field or parameterless property, through the same receiver chain.
    /// </summary>
    public static bool SameSemaphore(IOperation? a, IOperation? b)
    {
        if (a is null || b is null) return a is null && b is null;
        a = OperationFacts.StripConversions(a);
        b = OperationFacts.StripConversions(b);
        return (a, b) switch
        {
            (ILocalReferenceOperation x, ILocalReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Local, y.Local),
            (IParameterReferenceOperation x, IParameterReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Parameter, y.Parameter),
            (IFieldReferenceOperation x, IFieldReferenceOperation y) =>
                SymbolEqualityComparer.Default.Equals(x.Field, y.Field) && SameSemaphore(x.Instance, y.Instance),
            (IPropertyReferenceOperation x, IPropertyReferenceOperation y) =>
                x.Arguments.IsEmpty && y.Arguments.IsEmpty
                && SymbolEqualityComparer.Default.Equals(x.Property, y.Property) && SameSemaphore(x.Instance, y.Instance),
            (IInstanceReferenceOperation x, IInstanceReferenceOperation y) => x.ReferenceKind == y.ReferenceKind,
            _ => false,
        };
    }

    /// <summary>The finally releases the semaphore on every path: not under an if, a loop, a switch or a catch.</summary>
    public static bool ReleasesUnconditionally(IBlockOperation finallyBlock, IOperation semaphore, INamedTypeSymbol semaphoreSlim)
    {
        foreach (var operation in finallyBlock.Descendants())
        {
            if (operation is IInvocationOperation release
                && IsRelease(release, semaphoreSlim)
                && SameSemaphore(ReceiverOf(release), semaphore)
                && IsUnconditional(release, finallyBlock))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUnconditional(IOperation release, IBlockOperation finallyBlock)
    {
        var child = release;
        var parent = release.Parent;
        while (parent is not null && parent != finallyBlock)
        {
            switch (parent)
            {
                case IBlockOperation:
                case IExpressionStatementOperation:
                case IConversionOperation:
                case ISimpleAssignmentOperation { Target: IDiscardOperation }:
                // 'semaphore?.Release()' is a null check, not a check that the wait succeeded.
                case IConditionalAccessOperation conditionalAccess when child == conditionalAccess.WhenNotNull:
                // 'try { s.Release(); } catch (SemaphoreFullException) { }' still releases a count nobody took.
                case ITryOperation nested when child == nested.Body:
                    break;
                default:
                    return false;
            }

            child = parent;
            parent = parent.Parent;
        }

        return parent == finallyBlock;
    }

    /// <summary>The semaphore a release is called on; for <c>s?.Release()</c>, the <c>s</c>.</summary>
    public static IOperation? ReceiverOf(IInvocationOperation release)
    {
        if (release.Instance is not IConditionalAccessInstanceOperation) return release.Instance;
        for (var parent = release.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IConditionalAccessOperation access) return access.Operation;
        }

        return null;
    }

    private static bool IsInfiniteTimeSpan(IOperation value, KnownSymbols symbols) =>
        value is IFieldReferenceOperation { Field: { Name: "InfiniteTimeSpan", IsStatic: true } field }
        && symbols.Lookup("System.Threading.Timeout") is { } timeout
        && SymbolEqualityComparer.Default.Equals(field.ContainingType, timeout);
}
