using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Common;

/// <summary>
/// How the file awaits, so that new awaits match it: a file whose awaits use
/// <c>.ConfigureAwait(false)</c> (library code) gets it on the awaits we add.
/// </summary>
internal static class AwaitStyle
{
    /// <summary>True when most awaits in the file end in <c>.ConfigureAwait(false)</c>.</summary>
    public static bool PrefersConfigureAwaitFalse(SyntaxNode root)
    {
        int configured = 0, plain = 0;
        foreach (var await in root.DescendantNodes().OfType<AwaitExpressionSyntax>())
        {
            if (await.Expression is InvocationExpressionSyntax
                {
                    Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" },
                    ArgumentList.Arguments: { Count: 1 } arguments,
                } && arguments[0].Expression.IsKind(SyntaxKind.FalseLiteralExpression))
            {
                configured++;
            }
            else
            {
                plain++;
            }
        }

        return configured > 0 && configured >= plain;
    }

    /// <summary><c>await expression</c>, with <c>.ConfigureAwait(false)</c> when the file prefers it.</summary>
    public static AwaitExpressionSyntax Await(ExpressionSyntax expression, bool configureAwaitFalse)
    {
        if (configureAwaitFalse)
        {
            expression = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, expression, IdentifierName("ConfigureAwait")),
                ArgumentList(SingletonSeparatedList(Argument(LiteralExpression(SyntaxKind.FalseLiteralExpression)))));
        }

        return AwaitExpression(expression);
    }
}
