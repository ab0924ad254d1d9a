using Microsoft.CodeAnalysis.Text;

namespace AsyncGuard;

/// <summary>The completion facts' view of task arguments and symbols: which variables a <c>WhenAll</c> names, which symbol an operation stands for, where a fact is unconditional.</summary>
internal sealed partial class CompletionFacts
{
    /// <summary>The variables among the task arguments: <c>WhenAll(a, b)</c>, <c>WhenAll(new[] { a, b })</c>, <c>WhenAll(tasks)</c>.</summary>
    private IEnumerable<ISymbol> ElementSymbols(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            foreach (var symbol in ElementsOf(argument.Value)) yield return symbol;
        }
    }

    private IEnumerable<ISymbol> ElementsOf(IOperation argument)
    {
        var value = OperationFacts.StripConversions(argument);
        IEnumerable<IOperation> elements = value switch
        {
            IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
#if ROSLYN_4_14_OR_GREATER
            // Roslyn 4.8 (the older host build) has no operation for collection expressions.
            ICollectionExpressionOperation collection => collection.Elements,
#endif
            _ => new[] { StripLinq(value) },
        };
        foreach (var element in elements)
        {
            if (SymbolOf(element) is { } symbol) yield return symbol;
        }
    }

    /// <summary><c>tasks.ToList()</c>, <c>tasks.Where(...)</c>: the collection the chain starts from.</summary>
    private static IOperation StripLinq(IOperation operation)
    {
        operation = OperationFacts.StripConversions(operation);
        for (var depth = 0; depth < 8 && operation is IInvocationOperation { TargetMethod.IsExtensionMethod: true, Arguments.Length: > 0 } call; depth++)
            operation = OperationFacts.StripConversions(call.Arguments[0].Value);
        return operation;
    }

    /// <summary>
    /// A local, a parameter, a field or property of this instance (or a static one), a property
    /// of a local or parameter, or the <c>Task</c> of such a TaskCompletionSource (<c>_tcs.Task</c>:
    /// the same task every time).
    /// </summary>
    private ISymbol? SymbolOf(IOperation operation) => OperationFacts.StripConversions(operation) switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
        IPropertyReferenceOperation { Property.Name: "Task", Instance: { } source } property when IsCompletionSource(property.Property.ContainingType) => SymbolOf(source),
        IPropertyReferenceOperation { Property.IsIndexer: false, Instance: null or IInstanceReferenceOperation } property => property.Property,

        // call.CallTask: keyed by the property, so a check on one object's property also covers
        // another's; rare, and it errs on the quiet side.
        IPropertyReferenceOperation { Property.IsIndexer: false, Instance: ILocalReferenceOperation or IParameterReferenceOperation } property => property.Property,
        _ => null,
    };

    private bool IsCompletionSource(INamedTypeSymbol type) =>
        SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.TaskCompletionSourceOfT)
        || SymbolEqualityComparer.Default.Equals(type, symbols.TaskCompletionSource);

    /// <summary>
    /// The block in which <paramref name="operation"/> runs unconditionally, or null when it sits
    /// in a branch, a loop body, a catch, the right side of <c>&amp;&amp;</c>/<c>??</c>, or a nested function
    /// without a block of its own.
    /// </summary>
    internal static TextSpan? UnconditionalScope(IOperation operation)
    {
        var child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IBlockOperation block:
                    return block.Syntax.Span;
                case IConditionalOperation conditional when child != conditional.Condition:
                case IForEachLoopOperation forEach when child != forEach.Collection:
                case ILoopOperation and not IForEachLoopOperation:
                case ISwitchCaseOperation:
                case ISwitchExpressionArmOperation:
                case ICatchClauseOperation:
                case IConditionalAccessOperation access when child == access.WhenNotNull:
                case ICoalesceOperation coalesce when child == coalesce.WhenNull:
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } binary when child == binary.RightOperand:
                case IAnonymousFunctionOperation:
                case ILocalFunctionOperation:
                    return null;
            }
        }

        return child.Syntax.Span;
    }
}
