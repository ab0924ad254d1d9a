using Microsoft.CodeAnalysis.Text;

namespace AsyncGuard;

/// <summary>
/// Where, inside one method, a task variable is known to be complete: after it was awaited
/// (alone or through an awaited <c>Task.WhenAll</c>), after a blocking wait on it, inside a
/// completion check (<c>IsCompleted</c>, <c>Status == RanToCompletion</c>, the task an awaited
/// <c>WhenAny</c> returned), after a guard or an assertion of such a check, and in a
/// <c>ContinueWith</c> callback. Built once per method, by a single walk, and only for methods
/// that contain a blocking wait. Deliberately simple flow: a fact holds from its position to the
/// end of the block in which it is unconditional, until the variable is assigned again (also by a
/// <c>ref</c> or <c>out</c> argument, a deconstruction or <c>??=</c>).
/// </summary>
internal sealed partial class CompletionFacts
{
    private readonly Dictionary<ISymbol, List<(TextSpan Scope, int Start)>> facts = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ISymbol, List<int>> assignments = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ISymbol, ImmutableArray<ISymbol>> whenAllLocals = new(SymbolEqualityComparer.Default);

    // An element variable (foreach variable, LINQ lambda parameter) and the collection it comes from.
    private readonly Dictionary<ISymbol, ISymbol> elementOf = new(SymbolEqualityComparer.Default);
    private readonly KnownSymbols symbols;

    private CompletionFacts(KnownSymbols symbols) => this.symbols = symbols;

    public static CompletionFacts Build(ImmutableArray<IOperation> blocks, KnownSymbols symbols)
    {
        var result = new CompletionFacts(symbols);
        foreach (var block in blocks)
        {
            foreach (var operation in block.DescendantsAndSelf())
            {
                result.Visit(operation);
            }
        }

        return result;
    }

    /// <summary>True when the task <paramref name="task"/> is known complete where <paramref name="access"/> runs.</summary>
    public bool IsComplete(IOperation task, IOperation access)
    {
        var position = access.Syntax.SpanStart;
        foreach (var symbol in Keys(TaskFacts.StripConfigureAwait(task)))
        {
            if (Holds(symbol, position)) return true;
        }

        return false;
    }

    private IEnumerable<ISymbol> Keys(IOperation task)
    {
        var symbol = SymbolOf(task);
        if (symbol is null)
        {
            // tasks[i]: an element of a collection that was awaited as a whole
            var collection = task switch
            {
                IArrayElementReferenceOperation element => SymbolOf(element.ArrayReference),
                IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } => SymbolOf(instance),
                _ => null,
            };
            if (collection is not null) yield return collection;
            yield break;
        }

        yield return symbol;
        if (elementOf.TryGetValue(symbol, out var source)) yield return source;
    }

    private bool Holds(ISymbol symbol, int position)
    {
        if (!facts.TryGetValue(symbol, out var list)) return false;
        foreach (var (scope, start) in list)
        {
            if (!scope.Contains(position) || position < start) continue;
            if (assignments.TryGetValue(symbol, out var writes) && writes.Any(w => w >= start && w < position)) continue;
            return true;
        }

        return false;
    }

    private void Visit(IOperation operation)
    {
        switch (operation)
        {
            case IAwaitOperation awaitOperation:
                VisitAwait(awaitOperation);
                break;
            case IVariableDeclaratorOperation { Initializer.Value: { } value } declarator:
                var initial = OperationFacts.StripConversions(value);
                if (IsWhenAll(initial, out var whenAll))
                    whenAllLocals[declarator.Symbol] = ElementSymbols(whenAll).ToImmutableArray();
                else if (TaskFacts.IsCompletedTask(initial, symbols))
                    Add(declarator.Symbol, OperationFacts.Root(operation).Syntax.Span, operation.Syntax.Span.End);
                break;
            case ISimpleAssignmentOperation assignment when SymbolOf(assignment.Target) is { } target:
                AddWrite(target, assignment.Syntax.SpanStart);
                break;
            case ICoalesceAssignmentOperation coalesce when SymbolOf(coalesce.Target) is { } target:
                AddWrite(target, coalesce.Syntax.SpanStart);
                break;
            case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } byReference when SymbolOf(byReference.Value) is { } target:
                // Reload(ref a), TryGet(out a): the callee may put another task there.
                AddWrite(target, byReference.Syntax.SpanStart);
                break;
            case IDeconstructionAssignmentOperation deconstruction:
                foreach (var element in DeconstructionTargets(deconstruction.Target))
                {
                    if (SymbolOf(element) is { } target) AddWrite(target, deconstruction.Syntax.SpanStart);
                }

                break;
            case IConditionalOperation conditional:
                VisitConditional(conditional);
                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both:
                foreach (var symbol in Implies(both.LeftOperand, true)) Add(symbol, both.RightOperand.Syntax.Span, both.RightOperand.Syntax.SpanStart);
                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either:
                foreach (var symbol in Implies(either.LeftOperand, false)) Add(symbol, either.RightOperand.Syntax.Span, either.RightOperand.Syntax.SpanStart);
                break;
            case IInvocationOperation invocation:
                VisitInvocation(invocation);
                break;
            case IPropertyReferenceOperation { Property.Name: "Result", Instance: { } instance } property when TaskFacts.IsResultType(property.Property.ContainingType, symbols):
                // After one blocking .Result the task is complete: report the first wait only.
                AddCompleted(instance, UnconditionalScope(operation), operation.Syntax.Span.End);
                break;
            case IForEachLoopOperation loop when SymbolOf(StripLinq(loop.Collection)) is { } collection:
                foreach (var local in loop.Locals) elementOf[local] = collection;
                break;
            case IAnonymousFunctionOperation lambda:
                VisitLambda(lambda);
                break;
        }
    }

    private void AddWrite(ISymbol target, int position)
    {
        if (!assignments.TryGetValue(target, out var writes)) assignments[target] = writes = new List<int>();
        writes.Add(position);
    }

    /// <summary>The variables a deconstruction writes: <c>(a, b) = ...</c>, nested tuples too.</summary>
    private static IEnumerable<IOperation> DeconstructionTargets(IOperation target)
    {
        target = OperationFacts.StripConversions(target);
        if (target is IDeclarationExpressionOperation declaration) target = declaration.Expression;
        if (target is not ITupleOperation tuple)
        {
            yield return target;
            yield break;
        }

        foreach (var element in tuple.Elements)
        {
            foreach (var inner in DeconstructionTargets(element)) yield return inner;
        }
    }

    private void VisitAwait(IAwaitOperation awaitOperation)
    {
        var scope = UnconditionalScope(awaitOperation);
        var end = awaitOperation.Syntax.Span.End;
        var awaited = TaskFacts.StripConfigureAwait(awaitOperation.Operation);
        AddCompleted(awaited, scope, end);

        // var winner = await Task.WhenAny(a, b); winner.Result
        if (awaited is IInvocationOperation { TargetMethod: { Name: "WhenAny", IsStatic: true } method }
            && symbols.IsTaskType(method.ContainingType))
        {
            var target = OperationFacts.ConsumerOf(awaitOperation) switch
            {
                IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
                ISimpleAssignmentOperation assignment => SymbolOf(assignment.Target),
                _ => null,
            };
            if (target is not null && scope is { } known) Add(target, known, end);
        }
    }

    private void VisitConditional(IConditionalOperation conditional)
    {
        foreach (var symbol in Implies(conditional.Condition, true))
            Add(symbol, conditional.WhenTrue.Syntax.Span, conditional.WhenTrue.Syntax.SpanStart);
        var whenFalse = Implies(conditional.Condition, false);
        if (whenFalse.Count == 0) return;
        if (conditional.WhenFalse is { } elseBranch)
        {
            foreach (var symbol in whenFalse) Add(symbol, elseBranch.Syntax.Span, elseBranch.Syntax.SpanStart);
        }
        else if (conditional.Parent is IBlockOperation block && OperationFacts.AlwaysLeaves(conditional.WhenTrue))
        {
            // if (!t.IsCompleted) return; ... t.Result
            foreach (var symbol in whenFalse) Add(symbol, block.Syntax.Span, conditional.Syntax.Span.End);
        }
    }

    private void VisitInvocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var end = invocation.Syntax.Span.End;

        // A blocking wait completes what it waits for; later accesses are not reported again.
        if (method.Name == "Wait" && invocation.Arguments.Length == 0 && invocation.Instance is { } waited && symbols.IsTaskType(method.ContainingType))
            AddCompleted(waited, UnconditionalScope(invocation), end);
        else if (method.Name == "GetResult" && invocation.Instance is IInvocationOperation { TargetMethod.Name: "GetAwaiter", Instance: { } awaitable })
            AddCompleted(awaitable, UnconditionalScope(invocation), end);
        else if (method.Name == "WaitAll" && method.IsStatic && invocation.Arguments.Length == 1 && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Task))
        {
            var scope = UnconditionalScope(invocation);
            foreach (var symbol in ElementSymbols(invocation)) Add(symbol, scope, end);
        }

        // Debug.Assert(t.IsCompleted), Assert.True(t.IsCompleted), Assert.False(!t.IsCompleted)
        if (invocation.Arguments.Length > 0 && invocation.Parent is IExpressionStatementOperation && IsAssertion(method, out var expected))
        {
            var scope = UnconditionalScope(invocation);
            foreach (var symbol in Implies(invocation.Arguments[0].Value, expected)) Add(symbol, scope, end);
        }
    }

    private bool IsAssertion(IMethodSymbol method, out bool expected)
    {
        expected = true;
        if (method.Name == "Assert" && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Debug)) return true;
        if (method.ContainingType?.Name is not ("Assert" or "ClassicAssert")) return false;
        switch (method.Name)
        {
            case "True" or "IsTrue" or "That":
                return true;
            case "False" or "IsFalse":
                expected = false;
                return true;
            default:
                return false;
        }
    }

    private void VisitLambda(IAnonymousFunctionOperation lambda)
    {
        if (OperationFacts.ConsumerOf(lambda, delegateCreations: true) is not IArgumentOperation { Parent: IInvocationOperation invocation } argument) return;
        var method = invocation.TargetMethod;
        var body = lambda.Body.Syntax.Span;
        var parameters = lambda.Symbol.Parameters;

        if (method.Name is "ContinueWith" && invocation.Instance is { } antecedent && symbols.IsTaskType(method.ContainingType))
        {
            // t.ContinueWith(a => a.Result): the antecedent has completed when the callback runs.
            if (parameters.Length > 0) Add(parameters[0], body, body.Start);
            AddCompleted(antecedent, body, body.Start);
            return;
        }

        if (method.Name is "ContinueWhenAll" or "ContinueWhenAny"
            && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, symbols.TaskFactory)
            && parameters.Length > 0)
        {
            Add(parameters[0], body, body.Start);
            if (method.Name == "ContinueWhenAll" && invocation.Arguments.Length > 0)
            {
                foreach (var element in ElementsOf(invocation.Arguments[0].Value)) Add(element, body, body.Start);
            }

            return;
        }

        // tasks.Select(t => t.Result): the lambda's parameter is an element of the receiver collection.
        if (method.IsExtensionMethod && invocation.Arguments.Length > 1 && argument != invocation.Arguments[0] && parameters.Length > 0
            && SymbolOf(StripLinq(invocation.Arguments[0].Value)) is { } collection)
        {
            elementOf[parameters[0]] = collection;
        }
    }

    /// <summary>Facts for the task <paramref name="completed"/>, or for each task of a <c>WhenAll</c>/<c>WaitAll</c>.</summary>
    private void AddCompleted(IOperation completed, TextSpan? scope, int start)
    {
        if (scope is not { } known) return;
        completed = TaskFacts.StripConfigureAwait(completed);
        if (IsWhenAll(completed, out var whenAll))
        {
            foreach (var element in ElementSymbols(whenAll)) Add(element, known, start);
            return;
        }

        if (SymbolOf(completed) is not { } symbol) return;
        Add(symbol, known, start);
        if (whenAllLocals.TryGetValue(symbol, out var elements))
        {
            foreach (var element in elements) Add(element, known, start);
        }
    }

    private void Add(ISymbol symbol, TextSpan? scope, int start)
    {
        if (scope is not { } known) return;
        if (!facts.TryGetValue(symbol, out var list)) facts[symbol] = list = new List<(TextSpan, int)>();
        list.Add((known, start));
    }

    /// <summary>The variables that are complete when <paramref name="condition"/> has the value <paramref name="value"/>.</summary>
    private List<ISymbol> Implies(IOperation condition, bool value)
    {
        var result = new List<ISymbol>();
        Collect(OperationFacts.StripConversions(condition), value, result, depth: 0);
        return result;
    }

    private void Collect(IOperation condition, bool value, List<ISymbol> result, int depth)
    {
        if (depth > 8) return;
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var operand }:
                Collect(OperationFacts.StripConversions(operand), !value, result, depth + 1);
                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both when value:
                Collect(OperationFacts.StripConversions(both.LeftOperand), true, result, depth + 1);
                Collect(OperationFacts.StripConversions(both.RightOperand), true, result, depth + 1);
                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either when !value:
                Collect(OperationFacts.StripConversions(either.LeftOperand), false, result, depth + 1);
                Collect(OperationFacts.StripConversions(either.RightOperand), false, result, depth + 1);
                break;
            case IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" or "IsFaulted" or "IsCanceled", Instance: { } instance } property
                when value && symbols.IsTaskType(property.Property.ContainingType):
                if (SymbolOf(instance) is { } checkedTask) result.Add(checkedTask);
                break;
            case IInvocationOperation { TargetMethod: { Name: "IsCompleted" or "IsCompletedSuccessfully", IsExtensionMethod: true }, Instance: null, Arguments.Length: 1 } check
                when value && check.TargetMethod.ReturnType.SpecialType == SpecialType.System_Boolean && symbols.IsTaskType(check.Arguments[0].Value.Type):
                // a compatibility helper for older targets: task.IsCompletedSuccessfully()
                if (SymbolOf(check.Arguments[0].Value) is { } helperChecked) result.Add(helperChecked);
                break;
            case IInvocationOperation { TargetMethod.Name: "Wait", Arguments.Length: > 0, Instance: { } instance } wait
                when value && wait.TargetMethod.ReturnType.SpecialType == SpecialType.System_Boolean && symbols.IsTaskType(wait.TargetMethod.ContainingType):
                // if (t.Wait(timeout)) t.Result
                if (SymbolOf(instance) is { } waitedTask) result.Add(waitedTask);
                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison
                when (comparison.OperatorKind == BinaryOperatorKind.Equals) == value:
                var left = OperationFacts.StripConversions(comparison.LeftOperand);
                var right = OperationFacts.StripConversions(comparison.RightOperand);
                var equal = CompletedByComparison(left, right) ?? CompletedByComparison(right, left);
                if (equal is not null) result.Add(equal);
                break;
        }
    }

    /// <summary><c>t.Status == TaskStatus.RanToCompletion</c> (or Faulted/Canceled), <c>await Task.WhenAny(...) == t</c>.</summary>
    private ISymbol? CompletedByComparison(IOperation side, IOperation other)
    {
        if (side is IPropertyReferenceOperation { Property.Name: "Status", Instance: { } instance } status
            && symbols.IsTaskType(status.Property.ContainingType)
            && SymbolEqualityComparer.Default.Equals(other.Type, symbols.TaskStatus)
            && other.ConstantValue is { HasValue: true, Value: int state }
            && state is 5 or 6 or 7)
        {
            return SymbolOf(instance);
        }

        if (side is IAwaitOperation { Operation: var awaited }
            && TaskFacts.StripConfigureAwait(awaited) is IInvocationOperation { TargetMethod: { Name: "WhenAny", IsStatic: true } method }
            && symbols.IsTaskType(method.ContainingType))
        {
            return SymbolOf(other);
        }

        return null;
    }

    private bool IsWhenAll(IOperation operation, out IInvocationOperation whenAll)
    {
        whenAll = null!;
        if (operation is IInvocationOperation { TargetMethod: { Name: "WhenAll", IsStatic: true } method } invocation
            && symbols.IsTaskType(method.ContainingType))
        {
            whenAll = invocation;
            return true;
        }

        return false;
    }
}
