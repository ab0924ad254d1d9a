using AsyncGuard.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Rules;

/// <summary>
/// Turns a blocking wait in async code (AGD0003) into an await: <c>t.Result</c> and
/// <c>t.GetAwaiter().GetResult()</c> become <c>await t</c>, <c>t.Wait()</c> becomes <c>await t</c>,
/// <c>t.Wait(token)</c> becomes <c>await t.WaitAsync(token)</c>, <c>Task.WaitAll</c>/<c>Task.WaitAny</c>
/// statements become <c>await Task.WhenAll</c>/<c>await Task.WhenAny</c>. Makes a non-async task
/// function async when its returns can be rewritten; not offered where an await cannot go.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingWaitCodeFixProvider)), Shared]
public sealed class BlockingWaitCodeFixProvider : CodeFixProvider
{
    public const string EquivalenceKey = "AGD0003.Await";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.AGD0003_BlockingWaitInAsync.Id);

    public override FixAllProvider GetFixAllProvider() => FixAll.Sequential;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(BlockingWaitAnalyzer.ShapeProperty, out var shape) || shape is null) continue;
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (Plan(node, shape, model, context.CancellationToken) is not { } plan) continue;

            var function = AsyncFunction.Enclosing(plan.Target);
            if (function is null || !AsyncFunction.CanAwaitAt(plan.Target, function)) continue;
            if (!AsyncFunction.CanBecomeAsync(function, model, context.CancellationToken)) continue;

            context.RegisterCodeFix(
                CodeAction.Create(plan.Title, ct => FixAsync(context.Document, plan, ct), EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The node to replace, how to build its replacement, and the action's title.</summary>
    private sealed record FixPlan(ExpressionSyntax Target, string Title, System.Func<bool, ExpressionSyntax> Build);

    private static FixPlan? Plan(SyntaxNode node, string shape, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (shape)
        {
            case BlockingWaitAnalyzer.ShapeResult:
                if (node is not SimpleNameSyntax { Parent: MemberAccessExpressionSyntax access } || access.Name != node) return null;
                return new FixPlan(access, "Use 'await'", style => Parenthesize(access, AwaitStyle.Await(access.Expression.WithoutTrivia(), style)));

            case BlockingWaitAnalyzer.ShapeGetResult:
                if (node is not InvocationExpressionSyntax
                    {
                        Expression: MemberAccessExpressionSyntax
                        {
                            Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax getAwaiter, ArgumentList.Arguments.Count: 0 },
                        },
                    } getResult) return null;
                var awaitable = getAwaiter.Expression.WithoutTrivia();
                return new FixPlan(getResult, "Use 'await'", style => Parenthesize(getResult, IsConfigured(awaitable)
                    ? AwaitExpression(awaitable)
                    : AwaitStyle.Await(awaitable, style)));

            case BlockingWaitAnalyzer.ShapeWait:
                if (node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax waitAccess } wait || !IsStatementLike(wait)) return null;
                return new FixPlan(wait, "Use 'await'", style => AwaitStyle.Await(waitAccess.Expression.WithoutTrivia(), style));

            case BlockingWaitAnalyzer.ShapeWaitWithArguments:
                return PlanWaitAsync(node, model, cancellationToken);

            case BlockingWaitAnalyzer.ShapeWaitAll or BlockingWaitAnalyzer.ShapeWaitAny:
                if (node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax staticAccess } waitMany || !IsStatementLike(waitMany)) return null;
                if (model.GetSymbolInfo(waitMany, cancellationToken).Symbol is not IMethodSymbol { Parameters.Length: 1 }) return null;
                var whenName = shape == BlockingWaitAnalyzer.ShapeWaitAll ? "WhenAll" : "WhenAny";
                var renamed = waitMany.WithExpression(staticAccess.WithName(IdentifierName(whenName).WithTriviaFrom(staticAccess.Name))).WithoutTrivia();
                return new FixPlan(waitMany, $"Use 'await Task.{whenName}'", style => AwaitStyle.Await(renamed, style));
        }

        return null;
    }

    /// <summary><c>t.Wait(token)</c>, and a <c>t.Wait(timeout)</c> statement whose bool is unused, become <c>await t.WaitAsync(...)</c>.</summary>
    private static FixPlan? PlanWaitAsync(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } wait) return null;
        if (model.GetSymbolInfo(wait, cancellationToken).Symbol is not IMethodSymbol method) return null;
        if (method.ReturnsVoid ? !IsStatementLike(wait) : wait.Parent is not ExpressionStatementSyntax) return null;
        if (wait.ArgumentList.Arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None))) return null;

        if (KnownSymbols.From(model.Compilation) is not { } symbols) return null;
        var timeSpan = symbols.TimeSpan;
        var arguments = new List<ArgumentSyntax>();
        var wanted = new List<ITypeSymbol>();
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            var parameter = method.Parameters[i];
            var expression = wait.ArgumentList.Arguments[i].Expression.WithoutTrivia();
            if (parameter.Type.SpecialType == SpecialType.System_Int32 && timeSpan is not null)
            {
                // Wait(int milliseconds) -> WaitAsync(TimeSpan.FromMilliseconds(milliseconds))
                expression = InvocationExpression(
                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName("TimeSpan"), IdentifierName("FromMilliseconds")),
                    ArgumentList(SingletonSeparatedList(Argument(expression))));
                wanted.Add(timeSpan);
            }
            else
            {
                wanted.Add(parameter.Type);
            }

            arguments.Add(Argument(expression));
        }

        var hasWaitAsync = symbols.Task?.GetMembers("WaitAsync").OfType<IMethodSymbol>().Any(m =>
            !m.IsStatic && m.Parameters.Length == wanted.Count
            && m.Parameters.Select(p => p.Type).SequenceEqual(wanted, SymbolEqualityComparer.Default)) == true;
        if (!hasWaitAsync) return null;

        // TimeSpan needs to be in scope as a simple name for the converted millisecond form.
        if (method.Parameters.Any(p => p.Type.SpecialType == SpecialType.System_Int32)
            && !model.LookupNamespacesAndTypes(wait.SpanStart, name: "TimeSpan").Any(s => SymbolEqualityComparer.Default.Equals(s, timeSpan)))
        {
            return null;
        }

        var waitAsync = InvocationExpression(
            access.WithName(IdentifierName("WaitAsync").WithTriviaFrom(access.Name)).WithoutTrivia(),
            ArgumentList(SeparatedList(arguments)));
        return new FixPlan(wait, "Use 'await WaitAsync'", style => AwaitStyle.Await(waitAsync, style));
    }

    private static async Task<Document> FixAsync(Document document, FixPlan plan, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return document;
        var function = AsyncFunction.Enclosing(plan.Target);
        if (function is null) return document;

        var replacement = plan.Build(AwaitStyle.PrefersConfigureAwaitFalse(root)).WithTriviaFrom(plan.Target);
        return await AsyncEdit.ReplaceInAsyncFunctionAsync(document, root, model, function, plan.Target, replacement, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>(await t).Length</c>: an await used as the target of a member access, call or index needs parentheses.</summary>
    private static ExpressionSyntax Parenthesize(ExpressionSyntax original, ExpressionSyntax awaited) =>
        original.Parent switch
        {
            MemberAccessExpressionSyntax access when access.Expression == original => ParenthesizedExpression(awaited),
            ConditionalAccessExpressionSyntax conditional when conditional.Expression == original => ParenthesizedExpression(awaited),
            ElementAccessExpressionSyntax element when element.Expression == original => ParenthesizedExpression(awaited),
            InvocationExpressionSyntax invocation when invocation.Expression == original => ParenthesizedExpression(awaited),
            PostfixUnaryExpressionSyntax => ParenthesizedExpression(awaited),
            _ => awaited,
        };

    private static bool IsConfigured(ExpressionSyntax expression) =>
        expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } };

    /// <summary>A call whose value is unused: an expression statement, or the body of an expression-bodied function.</summary>
    private static bool IsStatementLike(ExpressionSyntax expression) =>
        expression.Parent is ExpressionStatementSyntax or ArrowExpressionClauseSyntax
        || (expression.Parent is AnonymousFunctionExpressionSyntax lambda && lambda.Body == expression);

}
