using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncGuard;

/// <summary>
/// Work that runs once per object (or per type) because it fills a field that is then kept: the
/// first caller pays, every later call reads memory. Three shapes, each on a field of the member's
/// type that nothing sets back to <c>null</c> outside a constructor:
/// <list type="bullet">
/// <item><c>_id ??= ReadId();</c></item>
/// <item><c>if (_config is null) { lock (_gate) { _config ??= Load(); } }</c>, and the same with
/// <c>if (_config == null) _config = Load();</c> inside;</item>
/// <item>an early exit <c>if (_items is not null) return;</c> before the load, with <c>_items = ...</c>
/// after it (an <c>EnsureLoaded()</c>).</item>
/// </list>
/// A cache that something resets (an invalidation, a config-changed handler) is not one of them.
/// </summary>
internal static class LazyInit
{
    /// <summary>True when <paramref name="operation"/>, inside <paramref name="root"/>, runs only while a kept field is still unset.</summary>
    public static bool RunsOnce(IOperation operation, IOperation root)
    {
        var child = operation;
        for (var parent = operation.Parent; parent is not null && child != root; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case ICoalesceAssignmentOperation coalesce when child == coalesce.Value && FieldOf(coalesce.Target) is { } coalesced:
                    if (IsKept(coalesced)) return true;
                    break;
                case IConditionalOperation conditional when child == conditional.WhenTrue
                    && TestsNull(conditional.Condition, out var tested, out var whenNull) && whenNull
                    && Assigns(conditional.WhenTrue, tested):
                    if (IsKept(tested)) return true;
                    break;
                case IBlockOperation block when AfterEarlyExitOnSetField(block, child, root, out var guarded):
                    if (IsKept(guarded)) return true;
                    break;
            }
        }

        return false;
    }

    // 'if (F is not null) return ...;' earlier in the block, and F assigned somewhere in the member.
    private static bool AfterEarlyExitOnSetField(IBlockOperation block, IOperation child, IOperation root, out IFieldSymbol field)
    {
        foreach (var statement in block.Operations)
        {
            if (statement == child) break;
            if (statement is IConditionalOperation { WhenFalse: null } exit
                && TestsNull(exit.Condition, out var tested, out var whenNull) && !whenNull
                && OperationFacts.AlwaysLeaves(exit.WhenTrue)
                && Assigns(root, tested))
            {
                field = tested;
                return true;
            }
        }

        field = null!;
        return false;
    }

    private static IFieldSymbol? FieldOf(IOperation operation) =>
        OperationFacts.StripConversions(operation) is IFieldReferenceOperation { Field: { IsConst: false } field } ? field.OriginalDefinition : null;

    /// <summary><c>F == null</c>, <c>F is null</c> (<paramref name="whenNull"/> true); <c>F != null</c>, <c>F is not null</c>, <c>F is {}</c> (false).</summary>
    private static bool TestsNull(IOperation condition, out IFieldSymbol field, out bool whenNull)
    {
        field = null!;
        whenNull = false;
        condition = OperationFacts.StripConversions(condition);
        switch (condition)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                var (value, other) = IsNull(binary.RightOperand) ? (binary.LeftOperand, binary.RightOperand) : (binary.RightOperand, binary.LeftOperand);
                if (!IsNull(other) || FieldOf(value) is not { } compared) return false;
                field = compared;
                whenNull = binary.OperatorKind == BinaryOperatorKind.Equals;
                return true;
            case IIsPatternOperation { Value: var tested, Pattern: var pattern } when FieldOf(tested) is { } matched:
                field = matched;
                switch (pattern)
                {
                    case IConstantPatternOperation { Value: var constant } when IsNull(constant):
                        whenNull = true;
                        return true;
                    case INegatedPatternOperation { Pattern: IConstantPatternOperation { Value: var constant } } when IsNull(constant):
                    case IRecursivePatternOperation { DeclaredSymbol: null, DeconstructionSubpatterns.IsEmpty: true, PropertySubpatterns.IsEmpty: true }:
                        return true;
                }

                return false;
            default:
                return false;
        }

        static bool IsNull(IOperation value) => OperationFacts.StripConversions(value) is { ConstantValue: { HasValue: true, Value: null } } or IDefaultValueOperation;
    }

    private static bool Assigns(IOperation scope, IFieldSymbol field) =>
        scope.DescendantsAndSelf().Any(o => o switch
        {
            ISimpleAssignmentOperation simple => SymbolEqualityComparer.Default.Equals(FieldOf(simple.Target), field),
            ICoalesceAssignmentOperation coalesce => SymbolEqualityComparer.Default.Equals(FieldOf(coalesce.Target), field),
            _ => false,
        });

    private static readonly ConditionalWeakTable<IFieldSymbol, StrongBox<bool>> Kept = new();

    /// <summary>The field is private (its writes are all in its type) and no write outside a constructor sets it to null or default.</summary>
    private static bool IsKept(IFieldSymbol field) =>
        field.DeclaredAccessibility == Accessibility.Private
        && Kept.GetValue(field, static f => new StrongBox<bool>(!IsReset(f))).Value;

    private static bool IsReset(IFieldSymbol field) =>
        field.ContainingType.DeclaringSyntaxReferences.Any(type => SingleAssignment.Writes(type.GetSyntax(), field.Name).Any(w =>
            w.Value is { } value
            && (value.IsKind(SyntaxKind.NullLiteralExpression) || value.IsKind(SyntaxKind.DefaultLiteralExpression) || value is DefaultExpressionSyntax)
            && w.Node.FirstAncestorOrSelf<ConstructorDeclarationSyntax>() is null));
}
