using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncGuard;

/// <summary>
/// Values that arrive through a variable written once: a local whose only write is its
/// initializer, a readonly field whose only write is its initializer (no constructor assigns it).
/// </summary>
internal static class SingleAssignment
{
    /// <summary>
    /// The initializer syntax of the local or readonly field <paramref name="reference"/> reads,
    /// when nothing else writes it; null otherwise.
    /// </summary>
    public static ExpressionSyntax? OnlyValue(IOperation reference)
    {
        reference = OperationFacts.StripConversions(reference);
        switch (reference)
        {
            case ILocalReferenceOperation { Local: { IsRef: false, IsConst: false } local }:
                if (local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } value } declarator) return null;
                var body = declarator.FirstAncestorOrSelf<SyntaxNode>(n => n is MemberDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or CompilationUnitSyntax);
                return body is not null && !IsWritten(body, local.Name, declarator) ? value : null;

            case IFieldReferenceOperation { Field: { IsReadOnly: true, IsConst: false } field }:
                if (field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } fieldValue } fieldDeclarator) return null;
                foreach (var part in field.ContainingType.DeclaringSyntaxReferences)
                {
                    foreach (var constructor in part.GetSyntax().ChildNodes().OfType<ConstructorDeclarationSyntax>())
                    {
                        if (IsWritten(constructor, field.Name, fieldDeclarator)) return null;
                    }
                }

                return fieldValue;

            default:
                return null;
        }
    }

    // By name: a write of another variable of the same name only makes the answer "unknown" (null).
    private static bool IsWritten(SyntaxNode scope, string name, SyntaxNode declaration) =>
        Writes(scope, name).Any(w => !declaration.Span.Contains(w.Node.Span));

    /// <summary>
    /// The writes of the variable or field <paramref name="name"/> inside <paramref name="scope"/>, read
    /// from syntax (<c>name</c>, <c>this.name</c>, <c>other.name</c>): assignments, compound ones and
    /// <c>??=</c> included, with the value written; increments and <c>ref</c>/<c>out</c> arguments,
    /// whose value is not known (null). A write of another variable of the same name counts too, so
    /// a claim built on "only these writes" stays on the safe side.
    /// </summary>
    public static IEnumerable<(SyntaxNode Node, ExpressionSyntax? Value)> Writes(SyntaxNode scope, string name)
    {
        foreach (var node in scope.DescendantNodes())
        {
            var (target, value) = node switch
            {
                AssignmentExpressionSyntax assignment => (assignment.Left, assignment.Right),
                PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } prefix => (prefix.Operand, null),
                PostfixUnaryExpressionSyntax postfix => (postfix.Operand, null),
                ArgumentSyntax { RefKindKeyword.RawKind: (int)SyntaxKind.RefKeyword or (int)SyntaxKind.OutKeyword } argument => (argument.Expression, null),
                _ => ((ExpressionSyntax?)null, (ExpressionSyntax?)null),
            };
            if (target is MemberAccessExpressionSyntax member) target = member.Name;
            if (target is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == name) yield return (node, value);
        }
    }
}
