using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncGuard;

/// <summary>
/// Catch clauses that deal with the exception on purpose, so that a cancellation caught there
/// is not lost: the handler ends in a throw helper (<c>[DoesNotReturn]</c>, such as
/// <c>ExceptionDispatchInfo.Throw</c>); it tests for cancellation itself (<c>ex is
/// OperationCanceledException</c>, a <c>case OperationCanceledException</c>); it hands the exception
/// on (<c>errors.Add(ex)</c>, <c>new Outcome(ex)</c>, <c>tcs.TrySetException(ex)</c>, a field); it is
/// only <c>break;</c>; or the try is best-effort cleanup (inside a <c>finally</c>, inside another
/// catch, or in a stop or cleanup member), where rethrowing would skip the rest of the cleanup.
/// </summary>
internal static class CatchIntent
{
    /// <summary>True when <paramref name="clause"/> of <paramref name="tryOperation"/> handles what it catches on purpose.</summary>
    public static bool IsDeliberate(ITryOperation tryOperation, ICatchClauseOperation clause, ISymbol? containingSymbol, KnownSymbols symbols)
    {
        var handler = clause.Handler;
        if (handler.Operations.Length == 1 && handler.Operations[0] is IBranchOperation { BranchKind: BranchKind.Break }) return true;
        if (handler.Operations.LastOrDefault() is IExpressionStatementOperation { Operation: IInvocationOperation last } && DoesNotReturn(last.TargetMethod, symbols)) return true;
        if (IsBestEffortCleanup(tryOperation, containingSymbol)) return true;

        var exception = clause.Locals.FirstOrDefault();
        foreach (var operation in handler.Descendants())
        {
            switch (operation)
            {
                case IIsTypeOperation { TypeOperand: var type } when IsCancellation(type, symbols):
                case ITypePatternOperation { MatchedType: var matched } when IsCancellation(matched, symbols):
                case IDeclarationPatternOperation { MatchedType: { } declared } when IsCancellation(declared, symbols):
                    return true;
                case ILocalReferenceOperation reference when exception is not null
                    && SymbolEqualityComparer.Default.Equals(reference.Local, exception)
                    && IsHandedOn(reference):
                    return true;
            }
        }

        return false;
    }

    /// <summary>A try inside a finally or a catch block, or in a member named like a stop or cleanup.</summary>
    private static bool IsBestEffortCleanup(ITryOperation tryOperation, ISymbol? containingSymbol)
    {
        if (containingSymbol is IMethodSymbol { Name: var name } && CleanupPath.IsCleanupName(name)) return true;
        var child = (IOperation)tryOperation;
        for (var parent = tryOperation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
                case ICatchClauseOperation:
                    return true;
                case ITryOperation outer when child == outer.Finally:
                    return true;
            }
        }

        return false;
    }

    /// <summary>The caught exception passed to a call or constructor, or stored outside the handler.</summary>
    private static bool IsHandedOn(ILocalReferenceOperation reference)
    {
        var parent = reference.Parent;
        while (parent is IConversionOperation) parent = parent.Parent;
        return parent switch
        {
            IArgumentOperation { Parent: IObjectCreationOperation } => true,
            IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Add" or "Enqueue" or "Push" or "TryAdd" or "TrySetException" or "SetException" or "Capture" or "OnError" or "Fail" } } => true,
            ISimpleAssignmentOperation { Value: var value, Target: IFieldReferenceOperation or IPropertyReferenceOperation or IParameterReferenceOperation } => value == reference || Unwrap(value) == reference,
            _ => false,
        };
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { Operand: { } operand }) operation = operand;
        return operation;
    }

    private static bool IsCancellation(ITypeSymbol? type, KnownSymbols symbols) =>
        type is not null && KnownSymbols.InheritsFrom(type, symbols.OperationCanceledException);

    private static bool DoesNotReturn(IMethodSymbol method, KnownSymbols symbols) =>
        symbols.Lookup("System.Diagnostics.CodeAnalysis.DoesNotReturnAttribute") is { } attribute
        && method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));
}
