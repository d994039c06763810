"""The learning pipeline: answer events -> queue -> mastery (BKT, once per answer) -> diagnosis,
and the nightly refit that versions the BKT parameters from the archived answers.

Domain code here is free of AWS (ports in ``service``, ``mastery``, ``params``, ``refit``);
``adapters`` and ``wiring`` bind it to DynamoDB, S3 and SQS.
"""
