using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Common;

/// <summary>What the fixes that turn a call into an awaited one (a twin, or <c>Task.Run</c>) ask of the call's syntax.</summary>
internal static class CallSyntax
{
    /// <summary>The name with another identifier, its trivia kept.</summary>
    public static SimpleNameSyntax Rename(SimpleNameSyntax name, string newName) =>
        name.WithIdentifier(Identifier(newName).WithTriviaFrom(name.Identifier));

    /// <summary>An await written where the call was a receiver or postfix operand needs parentheses.</summary>
    public static bool NeedsParentheses(ExpressionSyntax node) => node.Parent switch
    {
        MemberAccessExpressionSyntax member => member.Expression == node,
        ConditionalAccessExpressionSyntax conditional => conditional.Expression == node,
        ElementAccessExpressionSyntax element => element.Expression == node,
        InvocationExpressionSyntax call => call.Expression == node,
        PostfixUnaryExpressionSyntax => true,
        _ => false,
    };

    /// <summary><c>a?.b.M()</c>: the call is evaluated only when <c>a</c> is not null, and an await cannot go there.</summary>
    public static bool InConditionalAccess(SyntaxNode node, SyntaxNode function)
    {
        for (var current = node; current.Parent is { } parent && parent != function; current = parent)
        {
            if (parent is ConditionalAccessExpressionSyntax conditional && conditional.WhenNotNull == current) return true;
            if (parent is StatementSyntax) return false;
        }

        return false;
    }

    /// <summary>
    /// Replaces <paramref name="call"/> with an awaited form, making its function async: the twin
    /// call <paramref name="twinCall"/> builds from the semantic model, or, when that is null,
    /// <c>await Task.Run(() =&gt; call)</c>. The original document when the edit cannot be made.
    /// </summary>
    public static async Task<Document> AwaitInPlaceAsync(
        Document document, ExpressionSyntax call, System.Func<SemanticModel, ExpressionSyntax?>? twinCall, bool configurable, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || AsyncFunction.Enclosing(call) is not { } function) return document;

        var configureAwaitFalse = AwaitStyle.PrefersConfigureAwaitFalse(root);
        ExpressionSyntax awaited;
        if (twinCall is not null)
        {
            if (twinCall(model) is not { } twin) return document;
            awaited = AwaitStyle.Await(twin, configureAwaitFalse && configurable);
        }
        else
        {
            // Task.Run(() => call): the lambda returns the call's value, and await rethrows its exception.
            if (TypeNames.Task(document, model) is not { } taskName) return document;
            var run = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, taskName, IdentifierName("Run")),
                ArgumentList(SingletonSeparatedList(Argument(ParenthesizedLambdaExpression(call.WithoutTrivia())))));
            awaited = AwaitStyle.Await(run, configureAwaitFalse);
        }

        if (NeedsParentheses(call)) awaited = ParenthesizedExpression(awaited);
        awaited = awaited.WithTriviaFrom(call);
        return await AsyncEdit.ReplaceInAsyncFunctionAsync(document, root, model, function, call, awaited, cancellationToken).ConfigureAwait(false);
    }
}
