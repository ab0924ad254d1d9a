using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncGuard;

/// <summary>
/// Catch clauses that deal with the exception on purpose, so that a cancellation caught there
/// is not lost: the handler ends in a throw helper (<c>[DoesNotReturn]</c>, such as
/// <c>ExceptionDispatchInfo.Throw</c>); it tests for cancellation itself (<c>ex is
/// OperationCanceledException</c>, a <c>case OperationCanceledException</c>, or a filter <c>when
/// (token.IsCancellationRequested)</c> outside a loop that goes round by itself); it hands the exception on
/// (<c>errors.Add(ex)</c>, <c>new Outcome(ex)</c>, <c>onError(ex)</c>, <c>call.Resolve(ex, out
/// status)</c>, a field, or a local read after the catch; a logger is not handed anything); it is
/// only <c>break;</c>; it records cancellation as an outcome in a local read after the try; it starts by leaving once the owner is stopped or disposed; it retries (the try ends in <c>return</c> or <c>break</c> and the catch can
/// give up); or the try is best-effort cleanup (inside a <c>finally</c>, inside another catch, or
/// in a stop or cleanup member), where rethrowing would skip the rest of the cleanup.
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
        if (clause.Filter is { } filter && TestsTokenCancellation(filter, symbols) && !GoesRoundByItself(EnclosingLoop(tryOperation))) return true;
        if (IsRetry(tryOperation, clause)) return true;
        if (LeavesWhenStopped(handler)) return true;
        if (clause.ExceptionType is { } caught && IsCancellation(caught, symbols) && RecordsOutcome(tryOperation, handler)) return true;

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
                    && IsHandedOn(reference, tryOperation, handler, symbols):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A cancellation catch that records the outcome in a local declared before the try and read
    /// after it (jellyfin's <c>catch (OperationCanceledException) { status = Completed; }</c>, then
    /// the cleanup that reports the status): cancellation is one of the ends the code handles.
    /// </summary>
    private static bool RecordsOutcome(ITryOperation tryOperation, IBlockOperation handler)
    {
        var tryEnd = tryOperation.Syntax.Span.End;
        var root = OperationFacts.Root(tryOperation);
        foreach (var assignment in handler.Descendants().OfType<ISimpleAssignmentOperation>())
        {
            if (assignment.Target is not ILocalReferenceOperation { Local: var local }
                || local.DeclaringSyntaxReferences.FirstOrDefault() is not { } declaration
                || declaration.Span.Start >= tryOperation.Syntax.SpanStart) continue;
            if (root.Descendants().OfType<ILocalReferenceOperation>().Any(r => SymbolEqualityComparer.Default.Equals(r.Local, local)
                && r.Syntax.SpanStart >= tryEnd && !(r.Parent is ISimpleAssignmentOperation write && write.Target == r))) return true;
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

    /// <summary>
    /// The filter asks whether a token was cancelled (<c>when (token.IsCancellationRequested)</c>):
    /// the caller has found that it lets a cancellation in, so the catch is written for it.
    /// </summary>
    private static bool TestsTokenCancellation(IOperation filter, KnownSymbols symbols) =>
        filter.DescendantsAndSelf().Any(o => o is IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" } property
            && symbols.IsTokenLike(property.Property.ContainingType));

    /// <summary>
    /// A retry: the try is in a loop and ends in <c>return</c> or a <c>break</c> out of it (the
    /// attempt succeeded), and the catch can give up (<c>throw</c>, <c>return</c>, that <c>break</c>)
    /// or else lets the loop try again; or the loop is a <c>foreach</c>, trying each candidate
    /// (each server address) until one works. A catch that can never give up in a loop that can
    /// go on for ever is not a retry.
    /// </summary>
    private static bool IsRetry(ITryOperation tryOperation, ICatchClauseOperation clause)
    {
        if (EnclosingLoop(tryOperation) is not { } loop) return false;
        if (!Leaves(tryOperation.Body.Operations.LastOrDefault(), loop)) return false;

        // Over a collection, the loop tries each candidate until one works, and ends with them.
        if (loop is IForEachLoopOperation) return true;
        return InFunction(clause.Handler).Any(o => o is IThrowOperation || Leaves(o, loop));
    }

    /// <summary>
    /// The catch starts with a guard that leaves once the owner is stopped or disposed (<c>if
    /// (CheckDisposed()) return;</c>, <c>if (_stopping) break;</c>): it asks in its own terms
    /// whether this is the shutdown, and goes on only when it is not.
    /// </summary>
    private static bool LeavesWhenStopped(IBlockOperation handler)
    {
        if (handler.Operations.FirstOrDefault() is not IConditionalOperation { WhenFalse: null } guard) return false;
        var leaves = guard.WhenTrue is IBlockOperation { Operations: var body } ? body.LastOrDefault() : guard.WhenTrue;
        if (leaves is not (IReturnOperation { Kind: OperationKind.Return } or IBranchOperation { BranchKind: BranchKind.Break } or IExpressionStatementOperation { Operation: IThrowOperation })) return false;
        return guard.Condition.DescendantsAndSelf().Any(o => o switch
        {
            IMemberReferenceOperation member => CleanupPath.NamesStopState(member.Member.Name),
            IInvocationOperation call => CleanupPath.NamesStopState(call.TargetMethod.Name),
            ILocalReferenceOperation local => CleanupPath.NamesStopState(local.Local.Name),
            _ => false,
        });
    }

    /// <summary>
    /// A loop that goes round when its body runs to the end; not one whose body ends in
    /// <c>break</c>, <c>return</c> or <c>throw</c> (<c>do { ...; if (again) continue; break; }
    /// while (true)</c>), which goes round only where the code says <c>continue</c>.
    /// </summary>
    private static bool GoesRoundByItself(ILoopOperation? loop)
    {
        if (loop is null) return false;
        var last = (loop.Body as IBlockOperation)?.Operations.LastOrDefault() ?? loop.Body;
        return !(Leaves(last, loop) || last is IExpressionStatementOperation { Operation: IThrowOperation });
    }

    private static bool Leaves(IOperation? operation, ILoopOperation loop) =>
        operation is IReturnOperation { Kind: OperationKind.Return }
        || (operation is IBranchOperation { BranchKind: BranchKind.Break } branch && SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel));

    /// <summary>The innermost loop around <paramref name="tryOperation"/> in the same function.</summary>
    private static ILoopOperation? EnclosingLoop(ITryOperation tryOperation)
    {
        for (var parent = tryOperation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
                case ILoopOperation loop:
                    return loop;
            }
        }

        return null;
    }

    /// <summary>
    /// The caught exception handed to code that acts on it: a constructor; a call that is not
    /// logging (a handler delegate, <c>errors.Add(e)</c>, <c>call.ResolveException(e, out
    /// status)</c>) and not a yes/no question about it (<c>IsTransient(e)</c>); a field, property
    /// or parameter; or a local of the function that is read outside the catch.
    /// </summary>
    private static bool IsHandedOn(ILocalReferenceOperation reference, ITryOperation tryOperation, IBlockOperation handler, KnownSymbols symbols)
    {
        var parent = reference.Parent;
        while (parent is IConversionOperation) parent = parent.Parent;
        return parent switch
        {
            IArgumentOperation { Parent: IObjectCreationOperation } => true,
            IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Add" or "Enqueue" or "Push" or "TryAdd" or "TrySetException" or "SetException" or "Capture" or "OnError" or "Fail" } } => true,
            IArgumentOperation { Parent: IInvocationOperation call } => call.TargetMethod.ReturnType.SpecialType != SpecialType.System_Boolean && !LoggingCalls.IsLogging(call, symbols, byTypeName: true),
            ISimpleAssignmentOperation { Value: var value, Target: IFieldReferenceOperation or IPropertyReferenceOperation or IParameterReferenceOperation } => value == reference || OperationFacts.StripConversions(value) == reference,
            ISimpleAssignmentOperation { Value: var value, Target: ILocalReferenceOperation { Local: var local } } when value == reference || OperationFacts.StripConversions(value) == reference =>
                IsReadOutside(local, handler, tryOperation),
            _ => false,
        };
    }

    /// <summary>Is <paramref name="local"/> read somewhere in the function outside <paramref name="handler"/>?</summary>
    private static bool IsReadOutside(ILocalSymbol local, IBlockOperation handler, ITryOperation tryOperation)
    {
        IOperation function = tryOperation;
        while (function.Parent is { } parent && function is not IAnonymousFunctionOperation and not ILocalFunctionOperation) function = parent;
        var inside = handler.Syntax.Span;
        return function.Descendants().OfType<ILocalReferenceOperation>().Any(r =>
            SymbolEqualityComparer.Default.Equals(r.Local, local)
            && !inside.Contains(r.Syntax.Span)
            && !(r.Parent is ISimpleAssignmentOperation assignment && assignment.Target == r));
    }

    /// <summary>The operations under <paramref name="root"/>, not those in lambdas or local functions.</summary>
    private static System.Collections.Generic.IEnumerable<IOperation> InFunction(IOperation root)
    {
        foreach (var child in root.ChildOperations)
        {
            if (child is IAnonymousFunctionOperation or ILocalFunctionOperation) continue;
            yield return child;
            foreach (var descendant in InFunction(child)) yield return descendant;
        }
    }

    private static bool IsCancellation(ITypeSymbol? type, KnownSymbols symbols) =>
        type is not null && KnownSymbols.InheritsFrom(type, symbols.OperationCanceledException);

    private static bool DoesNotReturn(IMethodSymbol method, KnownSymbols symbols) =>
        symbols.Lookup("System.Diagnostics.CodeAnalysis.DoesNotReturnAttribute") is { } attribute
        && method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));
}
